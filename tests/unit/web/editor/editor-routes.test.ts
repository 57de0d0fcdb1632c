import { describe, expect, it } from 'vitest';
import { subjectOf } from '../../../../adapters/local/local-outbox.js';
import { createEditorTestApp, EDITOR_TOKEN } from './editor-test-app.js';

async function json(res: Response): Promise<Record<string, unknown>> {
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  return (await res.json()) as Record<string, unknown>;
}

describe('editor API: authentication', () => {
  it('refuses a request without a bearer token with 401 and a WWW-Authenticate challenge', async () => {
    const t = createEditorTestApp();
    const res = await t.call('GET', '/editor/editions', { auth: null });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="gazette-editor"');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await json(res)).toMatchObject({ ok: false, field: 'authorization' });
  });

  it('refuses a wrong token, a token of another length and another scheme, before reading the body', async () => {
    const t = createEditorTestApp();
    t.addSubscriber();
    for (const auth of [
      `Bearer ${EDITOR_TOKEN.slice(0, -1)}x`,
      `Bearer ${EDITOR_TOKEN}${EDITOR_TOKEN}`,
      `Basic ${Buffer.from(`editor:${EDITOR_TOKEN}`).toString('base64')}`,
      'Bearer',
    ]) {
      const res = await t.call('POST', '/editor/editions', { auth, body: { cadence: 'weekly' } });
      expect(res.status, auth).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer realm="gazette-editor"/);
    }
    expect(await t.editions.list(10)).toEqual([]);
    expect(t.queue.depth).toBe(0);
  });

  it('in IAM mode, refuses a request whose Lambda event has no IAM authorizer identity (403)', async () => {
    const t = createEditorTestApp({ auth: { kind: 'iam' } });
    const bare = await t.call('GET', '/editor/editions', { auth: null });
    expect(bare.status).toBe(403);
    expect(await json(bare)).toMatchObject({ field: 'authorization' });
    const unsigned = await t.call('GET', '/editor/editions', {
      auth: null,
      env: { event: { requestContext: { authorizer: { jwt: { claims: {} } } } } },
    });
    expect(unsigned.status).toBe(403);
    // A bearer token means nothing in IAM mode.
    expect((await t.call('GET', '/editor/editions')).status).toBe(403);
  });

  it('in IAM mode, serves a request API Gateway signed off', async () => {
    const t = createEditorTestApp({ auth: { kind: 'iam' } });
    const env = {
      event: {
        requestContext: {
          authorizer: {
            iam: { accountId: '111122223333', userArn: 'arn:aws:iam::111122223333:user/editor' },
          },
        },
      },
    };
    const res = await t.call('GET', '/editor/editions', { auth: null, env });
    expect(res.status).toBe(200);
    expect(await json(res)).toEqual({ editions: [] });
  });

  it('refuses a bearer token too short to be secret when the app is built', () => {
    expect(() => createEditorTestApp({ auth: { kind: 'bearer', token: 'short' } })).toThrow(/16 characters/);
  });

  it('leaves /editor and /editor/console to the console', async () => {
    const t = createEditorTestApp();
    for (const path of ['/editor', '/editor/console', '/editor/console/x']) {
      const res = await t.app.request(path, { headers: { accept: 'application/json' } });
      expect(res.status, path).toBe(404);
      expect(res.headers.get('www-authenticate'), path).toBeNull();
    }
  });
});

describe('editor API: bad input gets a 4xx naming the field', () => {
  const cases: Array<{
    name: string;
    method: string;
    path: string;
    body?: unknown;
    raw?: string;
    type?: string;
    status: number;
    field: string;
  }> = [
    {
      name: 'no body',
      method: 'POST',
      path: '/editor/editions',
      raw: '',
      type: 'text/plain',
      status: 415,
      field: 'body',
    },
    {
      name: 'form body',
      method: 'POST',
      path: '/editor/editions',
      raw: 'cadence=weekly',
      type: 'application/x-www-form-urlencoded',
      status: 415,
      field: 'body',
    },
    {
      name: 'malformed JSON',
      method: 'POST',
      path: '/editor/editions',
      raw: '{"cadence":',
      status: 400,
      field: 'body',
    },
    {
      name: 'a JSON list',
      method: 'POST',
      path: '/editor/editions',
      raw: '["weekly"]',
      status: 400,
      field: 'body',
    },
    {
      name: 'an empty object',
      method: 'POST',
      path: '/editor/editions',
      body: {},
      status: 400,
      field: 'cadence',
    },
    {
      name: 'an unknown cadence',
      method: 'POST',
      path: '/editor/editions',
      body: { cadence: 'monthly' },
      status: 400,
      field: 'cadence',
    },
    {
      name: 'cadence immediate',
      method: 'POST',
      path: '/editor/editions',
      body: { cadence: 'immediate' },
      status: 400,
      field: 'cadence',
    },
    {
      name: 'a cadence that is not text',
      method: 'POST',
      path: '/editor/editions',
      body: { cadence: 7 },
      status: 400,
      field: 'cadence',
    },
    {
      name: 'a bad slug',
      method: 'POST',
      path: '/editor/editions',
      body: { post: '../etc/passwd' },
      status: 400,
      field: 'post',
    },
    {
      name: 'a slug with CR/LF',
      method: 'POST',
      path: '/editor/editions',
      body: { post: 'a\r\nBcc: x@evil.example' },
      status: 400,
      field: 'post',
    },
    {
      name: 'both cadence and post',
      method: 'POST',
      path: '/editor/editions',
      body: { cadence: 'weekly', post: 'a' },
      status: 400,
      field: 'cadence',
    },
    {
      name: 'an unknown field',
      method: 'POST',
      path: '/editor/editions',
      body: { cadence: 'weekly', force: true },
      status: 400,
      field: 'force',
    },
    {
      name: 'preview without a target',
      method: 'GET',
      path: '/editor/editions/preview',
      status: 400,
      field: 'cadence',
    },
    {
      name: 'preview with a bad format',
      method: 'GET',
      path: '/editor/editions/preview?cadence=weekly&format=pdf',
      status: 400,
      field: 'format',
    },
    {
      name: 'preview with an unknown parameter',
      method: 'GET',
      path: '/editor/editions/preview?cadence=weekly&x=1',
      status: 400,
      field: 'x',
    },
    {
      name: 'preview with a repeated parameter',
      method: 'GET',
      path: '/editor/editions/preview?cadence=weekly&cadence=daily',
      status: 400,
      field: 'cadence',
    },
    {
      name: 'an id with odd characters',
      method: 'GET',
      path: '/editor/editions/weekly%20W48%3Cscript%3E',
      status: 400,
      field: 'id',
    },
    {
      name: 'an id too long',
      method: 'GET',
      path: `/editor/editions/${'w'.repeat(201)}`,
      status: 400,
      field: 'id',
    },
    {
      name: 'an unknown edition',
      method: 'GET',
      path: '/editor/editions/weekly-2020-W01',
      status: 404,
      field: 'id',
    },
    {
      name: 'pausing an unknown edition',
      method: 'POST',
      path: '/editor/editions/weekly-2020-W01/pause',
      status: 404,
      field: 'id',
    },
    {
      name: 'resuming an unknown edition',
      method: 'POST',
      path: '/editor/editions/weekly-2020-W01/resume',
      status: 404,
      field: 'id',
    },
    {
      name: 'a test of an unknown edition',
      method: 'POST',
      path: '/editor/editions/weekly-2020-W01/test',
      body: { to: ['editor@example.org'] },
      status: 404,
      field: 'id',
    },
    {
      name: 'a test without addresses',
      method: 'POST',
      path: '/editor/editions/weekly-2020-W01/test',
      body: {},
      status: 400,
      field: 'to',
    },
    {
      name: 'a test to one string',
      method: 'POST',
      path: '/editor/editions/weekly-2020-W01/test',
      body: { to: 'editor@example.org' },
      status: 400,
      field: 'to',
    },
    {
      name: 'a test with an unknown field',
      method: 'POST',
      path: '/editor/editions/weekly-2020-W01/test',
      body: { to: [], cc: [] },
      status: 400,
      field: 'cc',
    },
    {
      name: 'a list limit of 0',
      method: 'GET',
      path: '/editor/editions?limit=0',
      status: 400,
      field: 'limit',
    },
    {
      name: 'a list limit above 100',
      method: 'GET',
      path: '/editor/editions?limit=101',
      status: 400,
      field: 'limit',
    },
    {
      name: 'a list limit that is not a number',
      method: 'GET',
      path: '/editor/editions?limit=ten',
      status: 400,
      field: 'limit',
    },
    {
      name: 'an unknown route',
      method: 'GET',
      path: '/editor/editions/weekly-2026-W48/recipients',
      status: 404,
      field: 'path',
    },
    {
      name: 'an unknown method',
      method: 'DELETE',
      path: '/editor/editions/weekly-2026-W48',
      status: 404,
      field: 'path',
    },
  ];
  for (const c of cases) {
    it(`${c.name} → ${c.status} (${c.field})`, async () => {
      const t = createEditorTestApp();
      const res = await t.call(c.method, c.path, { body: c.body, raw: c.raw, type: c.type });
      expect(res.status).toBe(c.status);
      expect(res.headers.get('cache-control')).toBe('no-store');
      const body = await json(res);
      expect(body).toMatchObject({ ok: false, field: c.field });
      expect(String(body.error)).toMatch(new RegExp(`^${c.field}: .{8,}`));
    });
  }

  it('names every bad test address', async () => {
    const t = createEditorTestApp();
    t.addSubscriber();
    expect((await t.call('POST', '/editor/editions', { body: { cadence: 'weekly' } })).status).toBe(201);
    const res = await t.call('POST', '/editor/editions/weekly-2026-W48/test', {
      body: { to: ['editor@example.org', 'not an address', 'x@example.org\r\nBcc: all@example.org'] },
    });
    expect(res.status).toBe(400);
    const body = await json(res);
    expect(body.field).toBe('to');
    expect(String(body.error)).toContain('to[1]');
    expect(String(body.error)).toContain('to[2]');
    expect(t.mailer.sent).toHaveLength(0);
  });
});

describe('editor API: editions', () => {
  it('previews what send-now would send, as JSON, as HTML for a frame, and as text, writing nothing', async () => {
    const t = createEditorTestApp();
    const res = await t.call('GET', '/editor/editions/preview?cadence=weekly');
    expect(res.status).toBe(200);
    const preview = await json(res);
    expect(preview).toMatchObject({
      ok: true,
      editionId: 'weekly-2026-W48',
      exists: false,
      posts: ['border-talks', 'harbour-strike'],
    });
    expect(String(preview.html)).toContain('Title of border-talks');
    expect(String(preview.text)).toContain('Title of harbour-strike');
    // Links in a preview belong to nobody.
    expect(String(preview.html)).not.toMatch(/token=/);

    const html = await t.call('GET', '/editor/editions/preview?cadence=weekly&format=html');
    expect(html.headers.get('content-type')).toMatch(/^text\/html/);
    expect(html.headers.get('content-security-policy')).toMatch(/frame-ancestors 'self'/);
    expect(html.headers.get('content-security-policy')).toMatch(/sandbox/);
    expect(html.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(await html.text()).toBe(preview.html);

    const text = await t.call('GET', '/editor/editions/preview?post=border-talks&format=text');
    expect(text.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await text.text()).toContain('Title of border-talks');
    expect(await t.editions.list(10)).toEqual([]);
    expect(await t.objects.list()).toEqual([]);
  });

  it('answers 422 with the reason when there is nothing to send, and for an unknown post', async () => {
    const t = createEditorTestApp();
    // The daily window (the last 24 hours) holds no post.
    const daily = await t.call('POST', '/editor/editions', { body: { cadence: 'daily' } });
    expect(daily.status).toBe(422);
    expect(await json(daily)).toMatchObject({ ok: false, reason: 'no-posts', field: 'cadence' });
    const preview = await t.call('GET', '/editor/editions/preview?cadence=daily');
    expect(preview.status).toBe(422);
    const unknown = await t.call('POST', '/editor/editions', { body: { post: 'no-such-post' } });
    expect(unknown.status).toBe(422);
    expect(await json(unknown)).toMatchObject({ reason: 'not-found', field: 'post' });
    expect(await t.editions.list(10)).toEqual([]);
  });

  it('creates and fans out on send-now (201), finds the same edition again (200), and sends it once', async () => {
    const t = createEditorTestApp();
    const readers = [t.addSubscriber(), t.addSubscriber(), t.addSubscriber()];
    t.addSubscriber({ status: 'pending' });
    t.addSubscriber({ cadence: 'daily' });

    const first = await t.call('POST', '/editor/editions', { body: { cadence: 'weekly' } });
    expect(first.status).toBe(201);
    expect(await json(first)).toMatchObject({
      ok: true,
      editionId: 'weekly-2026-W48',
      created: true,
      state: 'sending',
      posts: ['border-talks', 'harbour-strike'],
      fanOut: { ok: true, enqueued: 3 },
      progress: '/editor/editions/weekly-2026-W48',
    });
    const again = await t.call('POST', '/editor/editions', { body: { cadence: 'weekly' } });
    expect(again.status).toBe(200);
    expect(await json(again)).toMatchObject({ created: false, editionId: 'weekly-2026-W48', fanOut: null });

    const queued = await json(await t.call('GET', '/editor/editions/weekly-2026-W48'));
    expect(queued).toMatchObject({ planned: 3, queued: 3, sent: 0, state: 'sending', fanOutComplete: true });

    await t.drain();
    expect(t.mailer.sent.map((m) => m.to[0]).sort()).toEqual(readers.map((r) => r.email).sort());
    const done = await json(await t.call('GET', '/editor/editions/weekly-2026-W48'));
    expect(done).toMatchObject({
      planned: 3,
      sent: 3,
      failed: 0,
      unknown: 0,
      skipped: 0,
      queued: 0,
      state: 'done',
    });

    const list = await json(await t.call('GET', '/editor/editions?limit=5'));
    expect(list.editions).toEqual([
      expect.objectContaining({
        id: 'weekly-2026-W48',
        state: 'done',
        cadence: 'weekly',
        trigger: 'editor',
        subject: expect.stringContaining('Title of border-talks'),
        progress: expect.objectContaining({ sent: 3, planned: 3 }),
      }),
    ]);
    // A done edition can no longer be paused.
    const pause = await t.call('POST', '/editor/editions/weekly-2026-W48/pause');
    expect(pause.status).toBe(409);
    expect(await json(pause)).toMatchObject({ reason: 'done' });
  });

  it('pauses and resumes: paused workers claim nothing, resumed ones finish', async () => {
    const t = createEditorTestApp();
    // Weekly readers are not the audience of a post edition.
    for (let i = 0; i < 3; i++) t.addSubscriber();
    for (let i = 0; i < 4; i++) t.addSubscriber({ cadence: 'immediate' });
    expect((await t.call('POST', '/editor/editions', { body: { post: 'border-talks' } })).status).toBe(201);

    const paused = await t.call('POST', '/editor/editions/post-border-talks/pause');
    expect(paused.status).toBe(200);
    expect(await json(paused)).toEqual({ ok: true, editionId: 'post-border-talks', state: 'paused' });
    // The worker's edition cache (2 s) must see the change.
    t.clock.advance(5_000);
    await t.drain(3);
    expect(t.mailer.sent).toHaveLength(0);
    expect(await json(await t.call('GET', '/editor/editions/post-border-talks'))).toMatchObject({
      state: 'paused',
      queued: 4,
      sent: 0,
    });

    expect(await json(await t.call('POST', '/editor/editions/post-border-talks/resume'))).toMatchObject({
      state: 'sending',
    });
    // Messages put back by a paused worker wait out their delay.
    t.clock.advance(60_000);
    await t.drain();
    expect(t.mailer.sent).toHaveLength(4);
    expect(await json(await t.call('GET', '/editor/editions/post-border-talks'))).toMatchObject({
      state: 'done',
      sent: 4,
    });
  });

  it('sends a test to the given addresses only, subject marked, outside the ledger', async () => {
    const t = createEditorTestApp();
    t.addSubscriber();
    await t.call('POST', '/editor/editions', { body: { cadence: 'weekly' } });
    const res = await t.call('POST', '/editor/editions/weekly-2026-W48/test', {
      body: { to: ['editor@example.org', 'second@example.org'] },
    });
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body).toMatchObject({ ok: true, failed: [] });
    expect((body.sent as Array<{ to: string }>).map((s) => s.to)).toEqual([
      'editor@example.org',
      'second@example.org',
    ]);
    expect(t.mailer.sent.map((m) => m.to)).toEqual([['editor@example.org'], ['second@example.org']]);
    expect(subjectOf(t.mailer.texts()[0] ?? '')).toBe(
      '[TEST] Gazette Dispatch — Weekly digest: Title of border-talks and 1 more',
    );
    expect(t.mailer.sent[0]?.tags).toMatchObject({ kind: 'test' });
    expect(t.ledger.rowsOf('weekly-2026-W48')).toEqual([]);
  });

  it('answers 502 when the provider refused every test address', async () => {
    const t = createEditorTestApp();
    t.addSubscriber();
    await t.call('POST', '/editor/editions', { body: { cadence: 'weekly' } });
    const { MailerError } = await import('../../../../core/mailer-error.js');
    t.mailer.failWith = new MailerError('Email address is not verified.', {
      code: 'MessageRejected',
      retryable: false,
    });
    const res = await t.call('POST', '/editor/editions/weekly-2026-W48/test', {
      body: { to: ['editor@example.org'] },
    });
    expect(res.status).toBe(502);
    expect(await json(res)).toMatchObject({ ok: true, sent: [], failed: [{ to: 'editor@example.org' }] });
  });
});
