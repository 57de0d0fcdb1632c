import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { HmacTokenSigner } from '../../../adapters/crypto/hmac-token-signer.js';
import { readTemplates } from '../../../adapters/fs/read-templates.js';
import type { Publication } from '../../../core/model.js';
import { createConfirmationSender } from '../../../core/subscriptions/send-confirmation.js';
import type { SubscribeDeps } from '../../../core/subscriptions/subscribe.js';
import { repoRoot } from '../../support/cli-harness.js';
import type { LocalAws } from '../../support/emulators.js';
import { TEST_SECRET } from '../../support/memory-adapters.js';

const publication: Publication = {
  title: 'Test Letters',
  description: 'A publication for tests.',
  url: 'http://127.0.0.1:3000/',
  language: 'en',
  timeZone: 'Europe/Berlin',
  author: { name: 'Desk' },
  email: { from: { name: 'Test Letters', address: 'letters@example.org' } },
  postalAddress: '1 Test Street',
  schedule: { weekly: { day: 'friday', time: '09:00', timeZone: 'Europe/Berlin' } },
  feed: { items: 20, content: 'full' },
};

const templates = await readTemplates(join(repoRoot, 'templates'));

/** The subscription use cases' deps on the emulated DynamoDB and SES, with the real confirmation mail. */
export function subscribeDepsOn(aws: LocalAws): SubscribeDeps {
  const clock = { now: () => new Date('2026-11-27T10:00:00Z') };
  return {
    store: aws.subscribers,
    suppressions: aws.suppressions,
    signer: new HmacTokenSigner({ id: 'test', secret: TEST_SECRET }),
    clock,
    baseUrl: publication.url,
    newId: randomUUID,
    sendConfirmation: createConfirmationSender({
      publication,
      templates: templates.email,
      mailer: aws.mailer,
      clock,
    }),
  };
}
