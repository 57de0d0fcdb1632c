import { describe, expect, it } from 'vitest';
import { emailKeyOf } from '../../../core/email-key.js';
import { createConsoleTestApp, EDITOR_TOKEN, ORIGIN } from './console-test-app.js';

const auth = { authorization: `Bearer ${EDITOR_TOKEN}`, accept: 'application/json' };

describe('subscriber admin API', () => {
  it('refuses every route without the editor token, before reading anything', async () => {
    const t = createConsoleTestApp();
    for (const [method, path] of [
      ['GET', '/editor/api/subscribers/count'],
      ['GET', '/editor/api/subscribers?q=ann'],
      ['GET', '/editor/api/subscribers/export'],
      ['POST', '/editor/api/subscribers/import'],
      ['GET', '/editor/api/suppressions'],
      ['POST', '/editor/api/editions/test'],
      ['GET', '/editor/api/nothing-here'],
    ] as const) {
      const res = await t.app.request(`${ORIGIN}${path}`, {
        method,
        headers: { authorization: 'Bearer wrong-token-wrong-token', 'content-type': 'text/csv' },
        body: method === 'POST' ? 'email\nx@example.org\n' : undefined,
      });
      expect(res.status, path).toBe(401);
      expect(await res.json()).toEqual({
        ok: false,
        error: 'authorization: the editor token is not valid',
        field: 'authorization',
      });
    }
    expect(t.store.all()).toEqual([]);
  });

  it('imports a CSV body, numbering lines from the offset, and reports every row', async () => {
    const t = createConsoleTestApp();
    t.addSubscriber({ email: 'ann@example.org' });
    const res = await t.app.request(`${ORIGIN}/editor/api/subscribers/import?consented=1&lineOffset=100`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'text/csv; charset=utf-8' },
      body: 'email,name\nnew@example.org,New\nann@example.org,Ann\nnope,No\n',
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      ok: true,
      consented: true,
      header: true,
      ignoredColumns: ['name'],
      added: [{ row: 102, email: 'new@example.org', status: 'active', confirmation: 'none' }],
      skipped: [{ row: 103, email: 'ann@example.org', reason: 'already active: their own choices are kept' }],
      rejected: [{ row: 104, reason: 'email: must contain exactly one @' }],
    });
    expect(t.mailer.sent).toEqual([]);
  });

  it('names the problem with a body that is not CSV, a bad flag or offset, or a file too large', async () => {
    const t = createConsoleTestApp();
    const post = (path: string, body: string, type = 'text/csv') =>
      t.app.request(`${ORIGIN}${path}`, { method: 'POST', headers: { ...auth, 'content-type': type }, body });
    const json = await post('/editor/api/subscribers/import', '{}', 'application/json');
    expect(json.status).toBe(415);
    expect((await json.json()).error).toMatch(/send the CSV file as text\/csv/);
    expect((await (await post('/editor/api/subscribers/import?consented=maybe', 'email')).json()).error).toBe(
      'consented: must be 1 or 0',
    );
    expect((await (await post('/editor/api/subscribers/import?lineOffset=-1', 'email')).json()).field).toBe(
      'lineOffset',
    );
    const big = await post('/editor/api/subscribers/import', `email\n${'a@example.org\n'.repeat(20_000)}`);
    expect(big.status).toBe(413);
    const huge = await post('/editor/api/subscribers/import', 'x'.repeat(400 * 1024));
    expect(huge.status).toBe(413);
    expect((await huge.json()).field).toBe('body');
    expect(t.store.all()).toEqual([]);
  });

  it('counts, searches, exports and lists suppressions', async () => {
    const t = createConsoleTestApp();
    t.addSubscriber({ email: 'ann@example.org' });
    await t.suppressions.put({
      emailKey: emailKeyOf('x@example.org'),
      reason: 'bounce',
      at: '2026-11-01T00:00:00Z',
    });
    const get = (path: string) => t.app.request(`${ORIGIN}${path}`, { headers: auth });
    expect(await (await get('/editor/api/subscribers/count')).json()).toMatchObject({
      total: 1,
      byStatus: { active: { total: 1, byCadence: { weekly: 1 } } },
    });
    expect(await (await get('/editor/api/subscribers?q=ann%40')).json()).toMatchObject({
      ok: true,
      subscribers: [{ email: 'ann@example.org', status: 'active' }],
      truncated: false,
    });
    const short = await get('/editor/api/subscribers?q=a');
    expect(short.status).toBe(400);
    expect(await short.json()).toMatchObject({
      field: 'q',
      error: 'q: give at least 3 characters of the address',
    });
    const csv = await (await get('/editor/api/subscribers/export')).text();
    expect(csv.split('\r\n')[1]).toMatch(/^ann@example\.org,weekly,,active,/);
    expect(await (await get('/editor/api/suppressions')).json()).toEqual({
      suppressions: [{ emailKey: emailKeyOf('x@example.org'), reason: 'bounce', at: '2026-11-01T00:00:00Z' }],
    });
  });

  it('test-sends what send now would send, and names bad recipients', async () => {
    const t = createConsoleTestApp();
    const post = (body: unknown) =>
      t.app.request(`${ORIGIN}/editor/api/editions/test`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const ok = await post({ post: 'second-post', to: ['editor@example.org'] });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({
      ok: true,
      editionId: 'post-second-post',
      sent: [{ to: 'editor@example.org' }],
      failed: [],
    });
    const bad = await post({
      cadence: 'weekly',
      to: ['not an address', 'x@example.org\r\nBcc: y@example.org'],
    });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({
      field: 'to',
      error: 'to: to[0]: not a single plain email address; to[1]: not a single plain email address',
    });
    const none = await post({ post: 'a-draft', to: ['editor@example.org'] });
    expect(none.status).toBe(422);
    expect(t.mailer.sent).toHaveLength(1);
  });
});
