import fc from 'fast-check';
import PostalMime from 'postal-mime';
import { describe, expect, it } from 'vitest';
import { emailKeyOf } from '../../../core/email-key.js';
import { writtenPost } from '../../support/fixtures.js';
import { createConsoleTestApp, formPost, ORIGIN, signIn } from './console-test-app.js';

const HOSTILE = '<script>alert(1)</script>"\'><img src=x onerror=alert(2)>&amp;';

async function page(t: ReturnType<typeof createConsoleTestApp>, cookie: string, path: string) {
  const res = await t.app.request(`${ORIGIN}${path}`, { headers: { cookie } });
  return { res, text: await res.text() };
}

describe('console pages', () => {
  it('lists posts by state, links only the published ones to the archive', async () => {
    const t = createConsoleTestApp();
    const { cookie } = await signIn(t);
    const { res, text } = await page(t, cookie, '/editor/console/posts');
    expect(res.status).toBe(200);
    const section = (id: string) =>
      text.slice(
        text.indexOf(`id="posts-${id}"`),
        text.indexOf('</section>', text.indexOf(`id="posts-${id}"`)),
      );
    expect(section('published')).toContain('Published (2)');
    expect(section('published')).toContain(`<a href="${ORIGIN}/posts/second-post/">Title of second-post</a>`);
    expect(section('published')).toContain('/editor/console/editions/preview?post=first-post');
    expect(section('scheduled')).toContain('Scheduled (1)');
    expect(section('scheduled')).toContain('Title of in-the-future');
    expect(section('scheduled')).not.toContain('/posts/in-the-future/');
    expect(section('draft')).toContain('Drafts (1)');
    expect(section('draft')).not.toContain('/posts/a-draft/');
    // The stylesheet and the script are same-origin files: nothing inline under the CSP.
    expect(text).toContain('<link rel="stylesheet" href="/editor/console/assets/console.css">');
    expect(text).toContain('<script src="/editor/console/assets/console.js" defer></script>');
    expect(text).not.toMatch(/<script>(?!<)/);
    expect(text).not.toMatch(/style="/);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
  });

  it('previews the weekly digest in 600 and 375 px sandboxed frames, with its text', async () => {
    const t = createConsoleTestApp();
    t.addSubscriber({ email: 'one@example.org' });
    t.addSubscriber({ email: 'two@example.org', cadence: 'daily' });
    const { cookie } = await signIn(t);
    const { res, text } = await page(t, cookie, '/editor/console/editions/preview?cadence=weekly');
    expect(res.status).toBe(200);
    expect(text).toContain('weekly-2026-W48');
    expect(text).toContain('first-post, second-post'.split(', ').reverse().join(', '));
    expect(text).toContain('1 active weekly subscriber');
    expect(
      text.match(/<iframe sandbox="" src="\/editor\/console\/editions\/preview.html\?cadence=weekly"/g),
    ).toHaveLength(2);
    expect(text).toContain('class="frame desktop"');
    expect(text).toContain('class="frame mobile"');
    expect(text).toContain('<pre class="text-part" tabindex="0">');

    const frame = await t.app.request(`${ORIGIN}/editor/console/editions/preview.html?cadence=weekly`, {
      headers: { cookie },
    });
    expect(frame.status).toBe(200);
    expect(frame.headers.get('content-security-policy')).toMatch(/sandbox/);
    expect(frame.headers.get('content-security-policy')).toMatch(/frame-ancestors 'self'/);
    expect(frame.headers.get('content-security-policy')).not.toMatch(/script-src/);
    expect(frame.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    const mail = await frame.text();
    expect(mail).toContain('Title of second-post');
    expect(mail).not.toContain('{{');
  });

  it('explains when there is nothing to preview', async () => {
    const t = createConsoleTestApp({ posts: [writtenPost('old', '2020-01-01T00:00:00Z')] });
    const { cookie } = await signIn(t);
    const weekly = await page(t, cookie, '/editor/console/editions/preview?cadence=weekly');
    expect(weekly.res.status).toBe(422);
    expect(weekly.text).toContain('Nothing was published since the last edition');
    const unknown = await page(t, cookie, '/editor/console/editions/preview?post=no-such-post');
    expect(unknown.res.status).toBe(422);
    expect(unknown.text).toContain('No published post has this slug');
    const bad = await page(t, cookie, '/editor/console/editions/preview?cadence=hourly');
    expect(bad.res.status).toBe(400);
    expect(bad.text).toContain('cadence: must be one of daily, weekly');
  });

  it('test-sends a previewed edition before it exists, then sends it and shows live progress', async () => {
    const t = createConsoleTestApp();
    t.addSubscriber({ email: 'one@example.org' });
    const session = await signIn(t);
    const test = await t.app.request(
      `${ORIGIN}/editor/console/editions/test`,
      formPost(session, {
        csrf: session.csrf,
        cadence: 'weekly',
        to: 'editor@example.org\nsecond@example.org',
      }),
    );
    expect(test.status).toBe(200);
    expect(await test.text()).toContain('Test sent to editor@example.org, second@example.org.');
    expect(t.mailer.sent.map((m) => m.to)).toEqual([['editor@example.org'], ['second@example.org']]);
    const parsed = await PostalMime.parse(new TextDecoder().decode(t.mailer.sent[0]?.raw));
    expect(parsed.subject).toMatch(/^\[TEST\] /);
    expect(t.mailer.sent[0]?.tags).toEqual({ edition: 'weekly-2026-W48', kind: 'test' });
    // A test is not the edition: nothing was created, nobody else mailed.
    expect(await t.editions.list(10)).toEqual([]);

    const unconfirmed = await t.app.request(
      `${ORIGIN}/editor/console/editions/send`,
      formPost(session, { csrf: session.csrf, cadence: 'weekly' }),
    );
    expect(await unconfirmed.text()).toContain('Tick the box to confirm');
    expect(await t.editions.list(10)).toEqual([]);

    const send = await t.app.request(
      `${ORIGIN}/editor/console/editions/send`,
      formPost(session, { csrf: session.csrf, cadence: 'weekly', confirm: 'yes' }),
    );
    expect(send.status).toBe(303);
    expect(send.headers.get('location')).toBe('/editor/console/editions/weekly-2026-W48?started=new');
    expect(t.queue.sent).toBeGreaterThan(0);

    const progress = await page(t, session.cookie, '/editor/console/editions/weekly-2026-W48?started=new');
    expect(progress.res.status).toBe(200);
    expect(progress.text).toContain('The edition was created and is on its way.');
    expect(progress.text).toContain(
      'data-progress-url="/editor/console/editions/weekly-2026-W48/progress.json"',
    );
    expect(progress.text).toMatch(/<strong data-count="planned">1<\/strong>/);
    const json = await t.app.request(`${ORIGIN}/editor/console/editions/weekly-2026-W48/progress.json`, {
      headers: { cookie: session.cookie },
    });
    expect(await json.json()).toMatchObject({ editionId: 'weekly-2026-W48', planned: 1, state: 'sending' });

    const again = await t.app.request(
      `${ORIGIN}/editor/console/editions/send`,
      formPost(session, { csrf: session.csrf, cadence: 'weekly', confirm: 'yes' }),
    );
    expect(again.headers.get('location')).toBe('/editor/console/editions/weekly-2026-W48?started=existing');

    const pause = await t.app.request(
      `${ORIGIN}/editor/console/editions/weekly-2026-W48/pause`,
      formPost(session, { csrf: session.csrf }),
    );
    expect(pause.status).toBe(303);
    expect((await t.editions.get('weekly-2026-W48'))?.state).toBe('paused');
    const paused = await page(t, session.cookie, '/editor/console/editions/weekly-2026-W48?done=paused');
    expect(paused.text).toContain('>Resume</button>');
  });

  it('answers an unknown edition with 404', async () => {
    const t = createConsoleTestApp();
    const { cookie } = await signIn(t);
    expect((await page(t, cookie, '/editor/console/editions/weekly-2020-W01')).res.status).toBe(404);
    expect((await page(t, cookie, '/editor/console/editions/%3Cscript%3E')).res.status).toBe(400);
  });
});

describe('subscribers in the console', () => {
  it('counts, finds, imports and exports', async () => {
    const t = createConsoleTestApp();
    t.addSubscriber({ email: 'ann@example.org' });
    t.addSubscriber({ email: 'bob@example.org', cadence: 'daily' });
    await t.suppressions.put({
      emailKey: emailKeyOf('gone@example.org'),
      reason: 'bounce',
      at: '2026-11-20T00:00:00Z',
      detail: 'mailbox full',
    });
    const session = await signIn(t);

    const overview = await page(t, session.cookie, '/editor/console/subscribers');
    expect(overview.text).toMatch(
      /<th scope="row">active<\/th><td class="num">0<\/td><td class="num">1<\/td><td class="num">1<\/td><td class="num">2<\/td>/,
    );
    expect(overview.text).toContain('Suppression list (1)');
    expect(overview.text).toContain('mailbox full');

    const found = await page(t, session.cookie, '/editor/console/subscribers?q=ann%40');
    expect(found.text).toContain('<td>ann@example.org</td><td>active</td><td>weekly</td>');
    expect(found.text).not.toContain('<td>bob@example.org</td>');
    const suppressed = await page(t, session.cookie, '/editor/console/subscribers?q=gone%40example.org');
    expect(suppressed.text).toContain('This address is on the suppression list (bounce');

    const form = new FormData();
    form.set('csrf', session.csrf);
    form.set(
      'file',
      new File(
        ['email,cadence,topics\nnew@example.org,daily,trade\nann@example.org,,\nbroken,,\n'],
        'list.csv',
      ),
    );
    const imported = await t.app.request(
      `${ORIGIN}/editor/console/subscribers/import`,
      formPost(session, form),
    );
    const report = await imported.text();
    expect(imported.status).toBe(200);
    expect(report).toContain('1 added as pending, 1 confirmation mail sent; 1 skipped; 1 rejected.');
    expect(report).toContain('<td class="num">4</td><td></td><td>email: must contain exactly one @</td>');
    expect(report).toContain(
      '<td class="num">3</td><td>ann@example.org</td><td>already active: their own choices are kept</td>',
    );
    const added = t.store.all().find((s) => s.email === 'new@example.org');
    expect(added).toMatchObject({
      status: 'pending',
      cadence: 'daily',
      topics: ['trade'],
      consent: { form: 'import', importedConsent: false },
    });
    expect(t.mailer.sent.map((m) => m.to)).toEqual([['new@example.org']]);
    expect(t.mailer.sent[0]?.tags).toEqual({ kind: 'confirmation' });

    const exported = await t.app.request(`${ORIGIN}/editor/console/subscribers/export.csv`, {
      headers: { cookie: session.cookie },
    });
    expect(exported.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(exported.headers.get('content-disposition')).toBe(
      'attachment; filename="subscribers-2026-11-27.csv"',
    );
    const lines = (await exported.text()).trimEnd().split('\r\n');
    expect(lines[0]).toMatch(/^email,cadence,topics,status,/);
    expect(lines.slice(1).map((l) => l.split(',').slice(0, 4).join(','))).toEqual([
      'ann@example.org,weekly,,active',
      'bob@example.org,daily,,active',
      'new@example.org,daily,trade,pending',
    ]);
  });

  it('refuses a file that is not UTF-8 or too large, and imports nothing', async () => {
    const t = createConsoleTestApp();
    const session = await signIn(t);
    const latin1 = new FormData();
    latin1.set('csrf', session.csrf);
    latin1.set(
      'file',
      new File(
        [new Uint8Array([0x65, 0x6d, 0x61, 0x69, 0x6c, 0x0a, 0xe9, 0x40, 0x78, 0x2e, 0x6f, 0x72, 0x67])],
        'l.csv',
      ),
    );
    const res = await t.app.request(`${ORIGIN}/editor/console/subscribers/import`, formPost(session, latin1));
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('not UTF-8 text: save it as &quot;CSV UTF-8&quot;');

    const big = new FormData();
    big.set('csrf', session.csrf);
    big.set('file', new File([`email\n${'a@example.org\n'.repeat(21_000)}`], 'big.csv'));
    const tooBig = await t.app.request(`${ORIGIN}/editor/console/subscribers/import`, formPost(session, big));
    expect(tooBig.status).toBe(413);
    expect(await tooBig.text()).toContain('gazette subscribers import');
    expect(t.store.all()).toEqual([]);
  });
});

describe('escaping in the console', () => {
  it('escapes every reflected value: search, post titles, import reasons and suppression details', async () => {
    const t = createConsoleTestApp({
      posts: [writtenPost('hostile', '2026-11-26T08:00:00Z', { title: HOSTILE, tags: ['europe'] })],
    });
    await t.suppressions.put({
      emailKey: 'k',
      reason: 'complaint',
      at: '2026-11-20T00:00:00Z',
      detail: HOSTILE,
    });
    const session = await signIn(t);
    const checks: Array<[string, string]> = [
      [
        'search',
        (await page(t, session.cookie, `/editor/console/subscribers?q=${encodeURIComponent(HOSTILE)}`)).text,
      ],
      ['posts', (await page(t, session.cookie, '/editor/console/posts')).text],
      ['editions', (await page(t, session.cookie, '/editor/console')).text],
      ['preview', (await page(t, session.cookie, '/editor/console/editions/preview?post=hostile')).text],
      ['suppressions', (await page(t, session.cookie, '/editor/console/subscribers')).text],
    ];
    const form = new FormData();
    form.set('csrf', session.csrf);
    form.set(
      'file',
      new File(
        [
          `email,cadence,topics\na@example.org,"${HOSTILE.replace(/"/g, '""')}",\nb@example.org,,"<b>bold</b>"\n`,
        ],
        'x.csv',
      ),
    );
    const imported = await t.app.request(
      `${ORIGIN}/editor/console/subscribers/import`,
      formPost(session, form),
    );
    checks.push(['import', await imported.text()]);
    const tested = await t.app.request(
      `${ORIGIN}/editor/console/editions/test`,
      formPost(session, { csrf: session.csrf, post: 'hostile', to: HOSTILE }),
    );
    checks.push(['test', await tested.text()]);
    for (const [where, text] of checks) {
      expect(text, where).not.toContain('<script>alert');
      expect(text, where).not.toContain('<img src=x');
      expect(text, where).not.toContain('<b>bold');
    }
    expect(checks[1]?.[1]).toContain(
      '&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&gt;&lt;img src=x onerror=alert(2)&gt;&amp;amp;',
    );
  });

  it('never reflects a search query unescaped, whatever it holds', async () => {
    const t = createConsoleTestApp();
    const { cookie } = await signIn(t);
    await fc.assert(
      fc.asyncProperty(
        fc.string({ minLength: 3, maxLength: 40 }).map((s) => `<${s}>`),
        async (q) => {
          const res = await t.app.request(`${ORIGIN}/editor/console/subscribers?q=${encodeURIComponent(q)}`, {
            headers: { cookie },
          });
          const text = await res.text();
          expect(text).not.toContain(q);
        },
      ),
      { numRuns: 50 },
    );
  });
});
