/**
 * The composition helpers the functions are wired from, against the emulators: publishing that
 * owes no post edition even when it dies half-way, content read from a bucket by entity tag,
 * the send rate from SES's quota (and its fallbacks), the deadline of a send worker, and the
 * SES events that may settle deliveries.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createSesClient } from '../../../adapters/aws/clients.js';
import { bucketContent } from '../../../adapters/compose/content-source.js';
import { DeadlineError, DeadlineSleeper } from '../../../adapters/compose/deadline-sleeper.js';
import {
  PENDING_POST_EDITIONS_KEY,
  type PostEditionOutcome,
  publishWithPostEditions,
} from '../../../adapters/compose/publish-with-post-editions.js';
import { createContentReader } from '../../../adapters/compose/read-published-content.js';
import { resolveSendRate } from '../../../adapters/compose/resolve-send-rate.js';
import { settleSendingEvents } from '../../../adapters/compose/settle-sending-events.js';
import { readTemplates } from '../../../adapters/fs/read-templates.js';
import type { SesDeliveryEvent } from '../../../core/delivery/settle-from-ses-event.js';
import type { ObjectStore } from '../../../core/ports.js';
import { buildPublication } from '../../../core/publish/build-publication.js';
import { readPublicationRecord } from '../../../core/publish/publication-record.js';
import { useLocalAws } from '../../support/emulators.js';
import { MemoryLogger } from '../../support/memory-adapters.js';
import { startSesStandIn } from '../../support/ses-stand-in.js';

const aws = useLocalAws();
const ROOT = join(import.meta.dirname, '..', '..', '..');
const PUBLICATION = readFileSync(join(ROOT, 'content', 'publication.yaml'), 'utf8');
const templates = await readTemplates(join(ROOT, 'templates'));

function postFile(slug: string, date: string): { path: string; text: string } {
  return {
    path: `posts/${slug}.md`,
    text: `---\ntitle: Post ${slug}\ndate: ${date}\ntags: [nato]\n---\n\nBody of ${slug}.\n`,
  };
}

async function build(slugs: string[], now: Date) {
  const files = [
    { path: 'publication.yaml', text: PUBLICATION },
    ...slugs.map((s) => postFile(s, '2026-11-01')),
  ];
  return buildPublication({ files, templates: templates.site, now, publicUrl: 'http://127.0.0.1:3999/' });
}

describe('publishWithPostEditions', () => {
  const now = new Date('2026-11-27T10:00:00Z');
  const refusedForGood = (slug: string): { slug: string; result: PostEditionOutcome } => ({
    slug,
    result: { ok: false, reason: 'not-found' },
  });

  it('owes nothing on a first publish, then owes each new post until its edition is made', async () => {
    const asked: string[][] = [];
    const first = await publishWithPostEditions({
      objects: aws.objects,
      built: await build(['a', 'b'], now),
      now,
      createPostEditions: async ({ slugs }) => {
        asked.push([...slugs]);
        return slugs.map(refusedForGood);
      },
    });
    expect(first).toMatchObject({ editions: [], pending: [] });
    expect(asked).toEqual([]);
    expect((await readPublicationRecord(aws.objects))?.has('b')).toBe(true);

    // The run dies after the site and its record are written, before the edition exists.
    await expect(
      publishWithPostEditions({
        objects: aws.objects,
        built: await build(['a', 'b', 'c'], now),
        now,
        createPostEditions: async () => {
          throw new Error('the function timed out');
        },
      }),
    ).rejects.toThrow('timed out');
    expect((await readPublicationRecord(aws.objects))?.has('c')).toBe(true);
    expect(await aws.objects.get(PENDING_POST_EDITIONS_KEY)).toBeDefined();

    // The next run (nothing new) still makes the edition of c, and then owes nothing.
    const next = await publishWithPostEditions({
      objects: aws.objects,
      built: await build(['a', 'b', 'c'], now),
      now,
      createPostEditions: async ({ slugs }) => {
        asked.push([...slugs]);
        return slugs.map((slug) => ({ slug, result: { ok: false, reason: 'error', error: 'queue down' } }));
      },
    });
    expect(next.pending).toEqual(['c']);
    const last = await publishWithPostEditions({
      objects: aws.objects,
      built: await build(['a', 'b', 'c'], now),
      now,
      createPostEditions: async ({ slugs }) => {
        asked.push([...slugs]);
        return slugs.map(refusedForGood);
      },
    });
    expect(last.pending).toEqual([]);
    expect(asked).toEqual([['c'], ['c']]);
    expect(await aws.objects.get(PENDING_POST_EDITIONS_KEY)).toBeUndefined();
    // Nothing owed, nothing new: nothing asked.
    await publishWithPostEditions({
      objects: aws.objects,
      built: await build(['a', 'b', 'c'], now),
      now,
      createPostEditions: async ({ slugs }) => {
        asked.push([...slugs]);
        return [];
      },
    });
    expect(asked).toHaveLength(2);
  });
});

describe('content from the content bucket', () => {
  it('fetches only what changed, ignores what is not content, and drops what was removed', async () => {
    const gets: string[] = [];
    const store: ObjectStore = {
      get: (key) => {
        gets.push(key);
        return aws.objects.get(key);
      },
      put: (key, body, options) => aws.objects.put(key, body, options),
      list: (prefix) => aws.objects.list(prefix),
      delete: (keys) => aws.objects.delete(keys),
    };
    await aws.objects.put('publication.yaml', PUBLICATION, { contentType: 'text/yaml' });
    for (const f of [postFile('one', '2026-11-20'), postFile('two', '2026-11-21')])
      await aws.objects.put(f.path, f.text, { contentType: 'text/markdown' });
    await aws.objects.put('README.md', 'notes', { contentType: 'text/markdown' });
    await aws.objects.put('posts/.draft.md.swp', 'x', { contentType: 'application/octet-stream' });
    await aws.objects.put('posts/photo.jpg', 'x', { contentType: 'image/jpeg' });

    const source = bucketContent(store);
    const first = await source.read();
    expect(first.files.map((f) => f.path)).toEqual(['posts/one.md', 'posts/two.md', 'publication.yaml']);
    expect(gets.sort()).toEqual(['posts/one.md', 'posts/two.md', 'publication.yaml']);

    gets.length = 0;
    const same = await source.read();
    expect(gets).toEqual([]);
    expect(same.revision).toBe(first.revision);

    await aws.objects.put('posts/two.md', postFile('two', '2026-11-22').text, {
      contentType: 'text/markdown',
    });
    await aws.objects.delete(['posts/one.md']);
    const changed = await source.read();
    expect(gets).toEqual(['posts/two.md']);
    expect(changed.files.map((f) => f.path)).toEqual(['posts/two.md', 'publication.yaml']);
    expect(changed.revision).not.toBe(first.revision);

    // The reader renders what is published at an instant, with when each post first appeared.
    const read = createContentReader(source, { publicUrl: 'http://127.0.0.1:3999', site: aws.objects });
    const content = await read(new Date('2026-11-27T00:00:00Z'));
    expect(content.publication.url).toBe('http://127.0.0.1:3999/');
    expect(content.posts.map((p) => [p.slug, p.url])).toEqual([['two', 'http://127.0.0.1:3999/posts/two/']]);
    expect((await read(new Date('2026-11-01T00:00:00Z'))).posts).toEqual([]);
  });
});

describe('resolveSendRate', () => {
  it("takes a share of SES's MaxSendRate for each worker", async () => {
    const standIn = await startSesStandIn({ maxSendRate: 30 });
    try {
      const ses = createSesClient({ ...aws.config, endpoints: { ses: standIn.endpoint } });
      const rate = await resolveSendRate({ ses, share: 0.5, maxConcurrency: 3, configuredTotal: 14 });
      expect(rate).toEqual({ perWorker: 5, total: 30, source: 'ses-quota' });

      // 500/s over 2 workers of 512 MB (under a third of a vCPU each): more than their CPU can send.
      standIn.configure({ maxSendRate: 500 });
      const logger = new MemoryLogger();
      const fast = await resolveSendRate({ ses, share: 1, maxConcurrency: 2, functionMemoryMb: 512, logger });
      expect(fast.perWorker).toBe(250);
      expect(fast.cpuCeiling).toBeCloseTo(96.5, 0);
      const warning = logger.lines.find((l) => l.level === 'warn');
      expect(warning?.fields?.advice).toBe(
        'raise the maximum concurrency to 6 workers, or the memory to 1327 MB',
      );
      expect(
        (await resolveSendRate({ ses, share: 1, maxConcurrency: 6, functionMemoryMb: 512 })).perWorker,
      ).toBeLessThan(96.5);
    } finally {
      await standIn.close();
    }
  });

  it('falls back to the configured rate, then to the sandbox rate, when SES does not answer in time', async () => {
    // aws-ses-v2-local never answers GetSendQuota: the timeout must end the wait.
    const ses = createSesClient({ ...aws.config, requestTimeoutMs: 30_000 });
    const logger = new MemoryLogger();
    const started = Date.now();
    const configured = await resolveSendRate({
      ses,
      share: 0.8,
      maxConcurrency: 2,
      configuredTotal: 14,
      timeoutMs: 300,
      logger,
    });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(configured).toEqual({ perWorker: (14 * 0.8) / 2, total: 14, source: 'configured' });
    expect(logger.lines.find((l) => l.level === 'error')?.message).toMatch(/send quota unavailable/);
    const sandbox = await resolveSendRate({ ses, share: 1, maxConcurrency: 1, timeoutMs: 300 });
    expect(sandbox).toEqual({ perWorker: 1, total: 1, source: 'sandbox-fallback' });
  });
});

describe('DeadlineSleeper', () => {
  it('waits while the invocation has time, and refuses a wait that would end too close to its end', async () => {
    let remaining = 10_000;
    const waits: number[] = [];
    const sleeper = new DeadlineSleeper({ sleep: async (ms) => void waits.push(ms) }, () => remaining, 5_000);
    await sleeper.sleep(4_000);
    expect(waits).toEqual([4_000]);
    await expect(sleeper.sleep(5_001)).rejects.toBeInstanceOf(DeadlineError);
    remaining = 4_000;
    await expect(sleeper.sleep(0)).rejects.toThrow(/at least 5000 needed/);
    expect(waits).toEqual([4_000]);
  });
});

describe('settleSendingEvents', () => {
  it('hands over the events of edition mails only, by SES event type', async () => {
    const seen: SesDeliveryEvent[] = [];
    const report = await settleSendingEvents(
      async (event) => {
        seen.push(event);
        return event.messageId === 'm1'
          ? { ok: true, settled: 'sent', editionId: 'weekly-2026-W48', subscriberId: 's1' }
          : { ok: false, reason: 'already-settled' };
      },
      [
        {
          type: 'delivery',
          messageId: 'm1',
          recipients: [],
          tags: { edition: 'weekly-2026-W48', kind: 'edition' },
          at: '',
        },
        { type: 'bounce', messageId: 'm2', recipients: [], tags: { edition: 'weekly-2026-W48' }, at: '' },
        { type: 'complaint', messageId: 'm3', recipients: [], tags: { kind: 'confirmation' }, at: '' },
        {
          type: 'delivery',
          messageId: 'm4',
          recipients: [],
          tags: { edition: 'weekly-2026-W48', kind: 'test' },
          at: '',
        },
      ],
    );
    expect(seen.map((e) => [e.type, e.messageId])).toEqual([
      ['Delivery', 'm1'],
      ['Bounce', 'm2'],
    ]);
    expect(report).toEqual({ settled: 1, unchanged: 1 });
  });
});
