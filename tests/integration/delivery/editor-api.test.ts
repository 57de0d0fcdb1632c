/**
 * The editor API over HTTP on the local pipeline (dynalite, s3rver, the in-process queue, the SES
 * stand-in): topic filtering end to end, pause and resume, authentication and bad input.
 */
import PostalMime from 'postal-mime';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { variantObjectKey } from '../../../core/editions/edition-objects.js';
import { useLocalAws } from '../../support/emulators.js';
import { type SesStandIn, startSesStandIn } from '../../support/ses-stand-in.js';
import {
  type DeliveryStack,
  type DeliveryStackOptions,
  EDITOR_TOKEN,
  startDeliveryStack,
} from './delivery-stack.js';
import { expectExactlyOnce, recentPost } from './expect-delivery.js';

const aws = useLocalAws();
let standIn: SesStandIn;
let stack: DeliveryStack | undefined;

beforeAll(async () => {
  standIn = await startSesStandIn({ keepRaw: true });
});
afterEach(async () => {
  await stack?.stop();
  stack = undefined;
  standIn.reset();
});
afterAll(async () => {
  await standIn.close();
});

const TRADE = recentPost('harbour-strike', 3, ['Trade']);
const EUROPE = recentPost('border-talks', 1, ['europe']);

async function start(options: Partial<DeliveryStackOptions> = {}) {
  stack = await startDeliveryStack(aws, standIn, { posts: [TRADE, EUROPE], ...options });
  return stack;
}

async function mailTo(address: string) {
  const mail = standIn.mails().find((m) => m.to[0] === address);
  if (!mail) throw new Error(`no mail to ${address}`);
  return { stored: mail, parsed: await PostalMime.parse(mail.raw) };
}

describe('editor API on the local pipeline', () => {
  it('sends each reader the posts of their topics, rendered once per distinct set of posts', async () => {
    const s = await start();
    const trade = await s.addSubscribers(4, 'active', 'weekly', ['trade']);
    const europe = await s.addSubscribers(4, 'active', 'weekly', ['Europe', 'science']);
    const everything = await s.addSubscribers(4);
    const nothing = await s.addSubscribers(3, 'active', 'weekly', ['science']);

    const created = await s.api('POST', '/editor/editions', { cadence: 'weekly' });
    expect(created.status).toBe(201);
    const editionId = String(created.body.editionId);
    await s.drain();
    await expectExactlyOnce(standIn, s.ledger, editionId, [...trade, ...europe, ...everything], nothing);

    for (const reader of trade) {
      const { parsed } = await mailTo(reader.email);
      expect(parsed.html).toContain('Title of harbour-strike');
      expect(parsed.html).not.toContain('Title of border-talks');
    }
    for (const reader of europe) {
      const { parsed } = await mailTo(reader.email);
      expect(parsed.text).toContain('Title of border-talks');
      expect(parsed.text).not.toContain('Title of harbour-strike');
    }
    for (const reader of everything) {
      const { parsed } = await mailTo(reader.email);
      expect(parsed.html).toContain('Title of harbour-strike');
      expect(parsed.html).toContain('Title of border-talks');
    }
    // Three distinct sets: all posts, trade only, europe only; each rendered and stored once.
    const edition = await s.editions.get(editionId);
    expect(edition?.variants.map((v) => v.key).sort()).toHaveLength(3);
    const stored = await aws.objects.list(`editions/${editionId}/variants/`);
    expect(stored.map((o) => o.key).sort()).toEqual(
      (edition?.variants ?? []).map((v) => variantObjectKey(editionId, v.key)).sort(),
    );
    expect(await s.api('GET', `/editor/editions/${editionId}`)).toMatchObject({
      status: 200,
      body: { planned: 12, sent: 12, skipped: 0, state: 'done' },
    });
  });

  it("puts each reader's own signed links and the list headers in the mail; the one-click link unsubscribes", async () => {
    const s = await start();
    const [reader] = await s.addSubscribers(1);
    if (!reader) throw new Error('no reader');
    await s.api('POST', '/editor/editions', { cadence: 'weekly' });
    await s.drain();
    const { stored, parsed } = await mailTo(reader.email);
    expect(stored.configurationSet).toBe('gazette-events');
    expect(stored.tags).toMatchObject({
      edition: expect.stringMatching(/^weekly-/),
      subscriber: reader.id,
      kind: 'edition',
    });
    const header = (name: string) => parsed.headers.find((h) => h.key === name)?.value ?? '';
    expect(header('list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
    expect(header('list-id')).toMatch(/<[a-z0-9.-]+>/);
    const link = /<(http:\/\/127\.0\.0\.1:\d+\/unsubscribe\?token=[^>]+)>/.exec(
      header('list-unsubscribe'),
    )?.[1];
    if (!link) throw new Error(`no unsubscribe link in ${header('list-unsubscribe')}`);
    expect(link.startsWith(s.baseUrl)).toBe(true);
    expect(parsed.html).toContain(link.replaceAll('&', '&amp;'));

    const res = await fetch(link, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(res.status).toBe(200);
    expect((await aws.subscribers.get(reader.emailKey))?.status).toBe('unsubscribed');
  });

  it('pauses and resumes through the API: a paused edition sends nothing, a resumed one finishes once', async () => {
    const s = await start({ startWorkers: false });
    const readers = await s.addSubscribers(30);
    const created = await s.api('POST', '/editor/editions', { cadence: 'weekly' });
    const editionId = String(created.body.editionId);
    expect(await s.api('POST', `/editor/editions/${editionId}/pause`)).toMatchObject({
      status: 200,
      body: { ok: true, state: 'paused' },
    });
    s.startWorkers();
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(standIn.counters.accepted).toBe(0);
    expect((await s.api('GET', `/editor/editions/${editionId}`)).body).toMatchObject({
      state: 'paused',
      planned: 30,
      queued: 30,
      sent: 0,
    });

    expect((await s.api('POST', `/editor/editions/${editionId}/resume`)).body).toMatchObject({
      state: 'sending',
    });
    await s.drain();
    await expectExactlyOnce(standIn, s.ledger, editionId, readers, []);
    expect((await s.api('GET', `/editor/editions/${editionId}`)).body).toMatchObject({
      state: 'done',
      sent: 30,
    });
    const list = await s.api('GET', '/editor/editions');
    expect(list.body.editions).toEqual([expect.objectContaining({ id: editionId, state: 'done' })]);
  });

  it('sends a test copy to given addresses only: not in the ledger, not to subscribers', async () => {
    const s = await start();
    const readers = await s.addSubscribers(3);
    const created = await s.api('POST', '/editor/editions', { cadence: 'weekly' });
    const editionId = String(created.body.editionId);
    await s.drain();
    standIn.reset();
    const res = await s.api('POST', `/editor/editions/${editionId}/test`, { to: ['editor@example.org'] });
    expect(res.status).toBe(200);
    expect(standIn.mails().map((m) => m.to)).toEqual([['editor@example.org']]);
    expect((await mailTo('editor@example.org')).parsed.subject).toMatch(/^\[TEST\] /);
    for (const r of readers) expect(standIn.sendsByRecipient.get(r.email)).toBeUndefined();
    expect((await s.ledger.count(editionId)).sent).toBe(3);
  });
});

describe('editor API authentication and input over HTTP', () => {
  it('answers 401 with a challenge without a token or with a wrong one, and writes nothing', async () => {
    const s = await start();
    await s.addSubscribers(2);
    const missing = await s.api('POST', '/editor/editions', { cadence: 'weekly' }, null);
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toBe('Bearer realm="gazette-editor"');
    const wrong = await s.api('POST', '/editor/editions', { cadence: 'weekly' }, `Bearer ${EDITOR_TOKEN}0`);
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('www-authenticate')).toContain('error="invalid_token"');
    expect(await s.editions.list(10)).toEqual([]);
    expect(s.queue.stats().sent).toBe(0);
  });

  it('in IAM mode answers 403 to a request that did not come through the IAM authorizer', async () => {
    const s = await start({ editorAuth: { kind: 'iam' } });
    const res = await s.api('GET', '/editor/editions');
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ ok: false, field: 'authorization' });
  });

  it('answers every bad input with a 4xx naming the field', async () => {
    const s = await start();
    const cases: Array<[string, string, unknown, number, string]> = [
      ['POST', '/editor/editions', '{"cadence": ', 400, 'body'],
      ['POST', '/editor/editions', { cadence: 'hourly' }, 400, 'cadence'],
      ['POST', '/editor/editions', { post: 'Not A Slug' }, 400, 'post'],
      ['POST', '/editor/editions', { cadence: 'weekly', post: 'x' }, 400, 'cadence'],
      ['POST', '/editor/editions', { post: 'never-written' }, 422, 'post'],
      ['GET', '/editor/editions/preview?post=', undefined, 400, 'post'],
      ['GET', '/editor/editions/weekly-1999-W01', undefined, 404, 'id'],
      ['GET', '/editor/editions/%3Cb%3E', undefined, 400, 'id'],
      ['POST', '/editor/editions/weekly-1999-W01/test', { to: 'a@example.org' }, 400, 'to'],
      ['POST', '/editor/editions/weekly-1999-W01/pause', undefined, 404, 'id'],
      ['GET', '/editor/editions?limit=1000', undefined, 400, 'limit'],
    ];
    for (const [method, path, body, status, field] of cases) {
      const res = await s.api(method, path, body);
      expect(res.status, `${method} ${path}`).toBe(status);
      expect(res.body, `${method} ${path}`).toMatchObject({ ok: false, field });
      expect(res.headers.get('cache-control')).toBe('no-store');
    }
    expect(await s.editions.list(10)).toEqual([]);
  });
});
