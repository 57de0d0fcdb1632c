/**
 * Golden files for the rendered mail (tests/golden/email/).
 *
 *   UPDATE_GOLDEN=1 npx vitest run tests/unit/email/golden.test.ts
 *
 * rewrites them after an intended change to the templates or the renderer; review the diff
 * before committing. The .eml has a fixed date and Message-ID; only the random MIME boundary
 * is replaced by a fixed one before comparing.
 */
import { describe, it } from 'vitest';
import { composeMime } from '../../../core/email/compose-mime.js';
import { renderConfirmation } from '../../../core/email/render-confirmation.js';
import { renderEdition } from '../../../core/email/render-edition.js';
import { publication, emailTemplates as templates } from '../../support/fixtures.js';
import { digestMimeInput, makePost, makePosts, renderWeeklyDigest } from './fixtures.js';
import { expectGolden } from './golden.js';

describe('golden email', () => {
  it('digest.html, digest.txt and digest.eml', async () => {
    const edition = await renderWeeklyDigest(makePosts(3));
    expectGolden('digest.html', edition.html);
    expectGolden('digest.txt', edition.text);
    const raw = await composeMime(
      digestMimeInput(edition, { messageId: '<weekly-2026-W47.0f3c2a@news.example.com>' }),
    );
    const eml = Buffer.from(raw)
      .toString('utf8')
      .replace(/--_NmP-[0-9a-f]+-Part_/g, '--_NmP-0000000000000000-Part_');
    expectGolden('digest.eml', eml);
  });

  it('post.html and post.txt', async () => {
    const post = makePost(2, {
      author: 'Ada Editor',
      credit: { name: 'The Source', url: 'https://source.example.org/' },
    });
    const edition = await renderEdition({
      publication,
      templates,
      editionId: 'post-note-2',
      kind: 'post',
      posts: [post],
    });
    expectGolden('post.html', edition.html);
    expectGolden('post.txt', edition.text);
  });

  it('confirm.html and confirm.txt', async () => {
    const confirmation = await renderConfirmation({ publication, templates, validForDays: 7 });
    expectGolden('confirm.html', confirmation.html);
    expectGolden('confirm.txt', confirmation.text);
  });
});
