import { randomUUID } from 'node:crypto';
import { HmacTokenSigner } from '../../../adapters/crypto/hmac-token-signer.js';
import { createConfirmationSender } from '../../../core/subscriptions/send-confirmation.js';
import type { SubscribeDeps } from '../../../core/subscriptions/subscribe.js';
import type { LocalAws } from '../../support/emulators.js';
import { emailTemplates, publicationAt } from '../../support/fixtures.js';
import { TEST_SECRET } from '../../support/memory-adapters.js';

const publication = publicationAt('http://127.0.0.1:3000/');

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
      templates: emailTemplates,
      mailer: aws.mailer,
      clock,
    }),
  };
}
