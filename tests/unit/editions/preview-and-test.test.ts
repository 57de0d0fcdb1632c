import PostalMime from 'postal-mime';
import { describe, expect, it } from 'vitest';
import { createProgressReader } from '../../../core/editions/get-progress.js';
import { createEditionPreviewer } from '../../../core/editions/preview-edition.js';
import { createTestSender, MAX_TEST_RECIPIENTS } from '../../../core/editions/send-test.js';
import { PLACEHOLDER_PREFIX } from '../../../core/email/placeholders.js';
import { publication, renderedPost } from '../../support/fixtures.js';
import { createPipeline, type Pipeline } from '../delivery/pipeline.js';

const START = '2026-11-25T12:00:00Z';

async function setUp(): Promise<Pipeline> {
  const p = await createPipeline({
    start: START,
    posts: [
      renderedPost('monday', '2026-11-23T08:00:00Z', ['policy']),
      renderedPost('tuesday', '2026-11-24T08:00:00Z', ['trade']),
    ],
  });
  p.addSubscriber('active', 'weekly', ['trade']);
  return p;
}

function previewer(p: Pipeline) {
  return createEditionPreviewer({
    editions: p.editions,
    objects: p.objects,
    publication,
    loadPosts: p.loadPosts,
    renderVariant: p.renderVariant,
    clock: p.clock,
  });
}

function tester(p: Pipeline) {
  return createTestSender({
    editions: p.editions,
    objects: p.objects,
    renderVariant: p.renderVariant,
    loadPosts: p.loadPosts,
    mailer: p.mailer,
    publication,
    clock: p.clock,
  });
}

describe('preview', () => {
  it('shows what send-now would send, with links that belong to nobody, and writes nothing', async () => {
    const p = await setUp();
    const preview = await previewer(p)({ cadence: 'weekly' });
    if (!preview.ok) throw new Error(preview.reason);
    expect(preview).toMatchObject({
      editionId: 'weekly-2026-W48',
      exists: false,
      posts: ['tuesday', 'monday'],
    });
    expect(preview.subject).toContain('Title of tuesday');
    expect(preview.html).toContain('https://news.example.com/unsubscribe"');
    expect(preview.text).toContain('https://news.example.com/preferences');
    expect(preview.html).not.toContain(PLACEHOLDER_PREFIX);
    expect(preview.html).not.toContain('token=');
    expect(p.editions.all()).toEqual([]);
    expect(await p.objects.list()).toEqual([]);
    expect(p.queue.depth).toBe(0);
  });

  it('shows the edition already made when send-now would find it', async () => {
    const p = await setUp();
    await p.createEdition({ cadence: 'weekly' });
    p.posts.push(renderedPost('wednesday', '2026-11-25T11:00:00Z'));
    const rendersBefore = p.renders.length;
    const preview = await previewer(p)({ cadence: 'weekly' });
    expect(preview).toMatchObject({ ok: true, exists: true, posts: ['tuesday', 'monday'] });
    expect(p.renders.length).toBe(rendersBefore);
  });

  it('previews a post edition, and says why there is none', async () => {
    const p = await setUp();
    expect(await previewer(p)({ post: 'monday' })).toMatchObject({
      ok: true,
      editionId: 'post-monday',
      posts: ['monday'],
    });
    expect(await previewer(p)({ post: 'nope' })).toEqual({ ok: false, reason: 'not-found' });
    // No daily edition yet: the last local day, 2026-11-24 13:00 to now.
    expect(await previewer(p)({ cadence: 'daily' })).toEqual({ ok: false, reason: 'no-posts' });
    p.posts.push(renderedPost('wednesday', '2026-11-25T09:00:00Z'));
    expect(await previewer(p)({ cadence: 'daily' })).toMatchObject({
      ok: true,
      editionId: 'daily-2026-11-25',
      posts: ['wednesday'],
    });
    p.clock.set('2026-12-25T12:00:00Z');
    expect(await previewer(p)({ cadence: 'daily' })).toEqual({ ok: false, reason: 'no-posts' });
  });
});

describe('test send', () => {
  it('sends the full edition to the given addresses only, [TEST] in the subject, outside the ledger', async () => {
    const p = await setUp();
    const created = await p.createEdition({ cadence: 'weekly' });
    if (!created.ok) throw new Error(created.reason);
    const before = p.mailer.delivered.length;
    const result = await tester(p)({
      editionId: created.edition.id,
      to: ['editor@example.net', ' desk@example.net '],
    });
    expect(result).toMatchObject({ ok: true, failed: [] });
    if (!result.ok) throw new Error('unreachable');
    expect(result.sent.map((s) => s.to)).toEqual(['editor@example.net', 'desk@example.net']);
    const mails = p.mailer.delivered.slice(before);
    expect(mails.map((m) => m.tags)).toEqual([
      { edition: created.edition.id, kind: 'test' },
      { edition: created.edition.id, kind: 'test' },
    ]);
    const parsed = await PostalMime.parse(mails[0]?.raw ?? new Uint8Array());
    expect(parsed.subject).toMatch(/^\[TEST\] Gazette Dispatch/);
    // The full edition, not the subscriber's topic variant.
    expect(parsed.text).toContain('Title of monday');
    expect(parsed.text).toContain('Title of tuesday');
    expect(parsed.text).not.toContain('token=');
    expect(p.ledger.rowsOf(created.edition.id)).toEqual([]);
    expect(await createProgressReader(p)(created.edition.id)).toMatchObject({ planned: 1, sent: 0 });
  });

  it('renders the full variant when fan-out did not need it', async () => {
    const p = await setUp();
    const created = await p.createEdition({ cadence: 'weekly' });
    if (!created.ok) throw new Error(created.reason);
    await p.objects.delete([`editions/${created.edition.id}/variants/all.json`]);
    const result = await tester(p)({ editionId: created.edition.id, to: ['editor@example.net'] });
    expect(result).toMatchObject({ ok: true });
    expect((await p.objects.list('editions/')).map((o) => o.key)).toContain(
      `editions/${created.edition.id}/variants/all.json`,
    );
  });

  it('refuses bad, too many or injected addresses, naming each, and sends nothing', async () => {
    const p = await setUp();
    const created = await p.createEdition({ cadence: 'weekly' });
    if (!created.ok) throw new Error(created.reason);
    const send = tester(p);
    const before = p.mailer.calls;
    expect(
      await send({
        editionId: created.edition.id,
        to: ['ok@example.net', 'x@example.net\r\nBcc: all@example.net', 3],
      }),
    ).toEqual({
      ok: false,
      reason: 'invalid-recipients',
      problems: ['to[1]: not a single plain email address', 'to[2]: not a single plain email address'],
    });
    const many = Array.from({ length: MAX_TEST_RECIPIENTS + 1 }, (_, i) => `e${i}@example.net`);
    expect(await send({ editionId: created.edition.id, to: many })).toMatchObject({
      ok: false,
      problems: [`to: at most ${MAX_TEST_RECIPIENTS} addresses`],
    });
    expect(await send({ editionId: created.edition.id, to: [] })).toMatchObject({
      ok: false,
      reason: 'invalid-recipients',
    });
    expect(await send({ editionId: 'weekly-1999-W01', to: ['ok@example.net'] })).toEqual({
      ok: false,
      reason: 'missing',
    });
    expect(p.mailer.calls).toBe(before);
  });

  it('reports a mailer refusal per address', async () => {
    const p = await setUp();
    const created = await p.createEdition({ cadence: 'weekly' });
    if (!created.ok) throw new Error(created.reason);
    p.mailer.script('blocked@example.net', 'reject');
    const result = await tester(p)({
      editionId: created.edition.id,
      to: ['blocked@example.net', 'fine@example.net'],
    });
    expect(result).toMatchObject({
      ok: true,
      sent: [{ to: 'fine@example.net' }],
      failed: [{ to: 'blocked@example.net', reason: expect.stringContaining('MessageRejected') }],
    });
  });
});

describe('progress', () => {
  it('counts planned, queued and settled, and records done once', async () => {
    const p = await setUp();
    p.addSubscriber('active', 'weekly');
    p.addSubscriber('active', 'weekly');
    const created = await p.createEdition({ cadence: 'weekly' });
    if (!created.ok) throw new Error(created.reason);
    const id = created.edition.id;
    expect(await p.progress(id)).toMatchObject({
      planned: 3,
      queued: 3,
      sent: 0,
      state: 'sending',
      fanOutComplete: true,
    });
    await p.drain();
    const setState = p.editions.setState.bind(p.editions);
    let writes = 0;
    p.editions.setState = async (...args) => {
      writes += 1;
      return setState(...args);
    };
    expect(await p.progress(id)).toMatchObject({ planned: 3, queued: 0, sent: 3, state: 'done' });
    expect(await p.progress(id)).toMatchObject({ state: 'done' });
    expect(writes).toBe(1);
    expect((await p.editions.get(id))?.doneAt).toBe(p.clock.now().toISOString());
    expect(await p.progress('weekly-1999-W01')).toBeUndefined();
  });
});
