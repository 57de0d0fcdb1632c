import { TemplateError } from '../errors.js';
import type { DigestCadence, Publication, RenderedPost } from '../model.js';
import { digestLabel, editionPreheader, editionSubject } from './edition-subject.js';
import { pageData, postData, publicationData } from './mail-data.js';
import { neutralizePlaceholders, PREFERENCES_PLACEHOLDER, UNSUBSCRIBE_PLACEHOLDER } from './placeholders.js';
import { renderMail } from './render-mail.js';
import type { EmailTemplates, RenderedEdition } from './rendered-mail.js';
import { escapeHtml } from './splice.js';

export interface RenderEditionInput {
  publication: Publication;
  templates: EmailTemplates;
  /** `weekly-2026-W48`, `daily-2026-11-27`, `post-<slug>`: also the view-in-browser path. */
  editionId: string;
  /** `digest`: several posts as cards; `post`: one post in full. */
  kind: 'digest' | 'post';
  cadence?: DigestCadence | undefined;
  /** Newest first, as the reader should see them. A `post` edition takes exactly one. */
  posts: RenderedPost[];
}

/**
 * Posts a digest shows as full cards (image, summary, "Read more"); the rest are listed by title.
 * Ten cards keep the HTML under Gmail's 102 KB clipping limit, where the footer and its
 * unsubscribe link would disappear behind "[Message clipped]".
 */
export const DIGEST_CARD_LIMIT = 10;

/** The public URL of an edition's web copy: `<publication url>editions/<editionId>/`. */
export function editionUrl(publication: Pick<Publication, 'url'>, editionId: string): string {
  return `${publication.url}editions/${encodeURIComponent(editionId)}/`;
}

/**
 * Renders an edition ONCE (templates `digest` or `post`, MJML + Liquid), with placeholders
 * where each recipient's unsubscribe and preferences links go; {@link compileEdition} and
 * {@link personalize} (personalize.ts) splice them in per recipient.
 *
 * Throws TemplateError when a template is missing, does not render, is invalid MJML, or leaves
 * out the unsubscribe, preferences or view-in-browser link.
 */
export async function renderEdition(input: RenderEditionInput): Promise<RenderedEdition> {
  const { publication, templates, editionId, kind, cadence, posts } = input;
  if (posts.length === 0) throw new RangeError(`edition ${editionId}: no posts to render`);
  if (kind === 'post' && posts.length !== 1) {
    throw new RangeError(`edition ${editionId}: a post edition holds one post, got ${posts.length}`);
  }
  const subject = editionSubject(publication, kind, cadence, posts);
  const preheader = editionPreheader(posts);
  const viewInBrowser = editionUrl(publication, editionId);
  const postsData = posts.map((post) => postData(post, publication, kind === 'post'));
  const data = {
    page: pageData(publication, subject, preheader),
    publication: publicationData(publication),
    edition: {
      id: neutralizePlaceholders(editionId),
      kind,
      cadence: cadence ?? null,
      label: kind === 'digest' ? digestLabel(cadence) : '',
      postCount: posts.length,
      audience:
        kind === 'post' ? 'new posts as they are published' : `the ${digestLabel(cadence).toLowerCase()}`,
    },
    posts: postsData,
    /** A digest's first posts, shown as cards, and the rest, listed by title. */
    cards: postsData.slice(0, DIGEST_CARD_LIMIT),
    more: postsData.slice(DIGEST_CARD_LIMIT),
    post: postsData[0],
    links: {
      unsubscribe: UNSUBSCRIBE_PLACEHOLDER,
      preferences: PREFERENCES_PLACEHOLDER,
      viewInBrowser: neutralizePlaceholders(viewInBrowser),
    },
  };
  const { html, text } = await renderMail(templates, kind, data);
  const name = `${kind}.mjml`;
  for (const [part, body, file, link] of [
    ['html', html, name, escapeHtml(viewInBrowser)],
    ['text', text, `${kind}.txt.liquid`, viewInBrowser],
  ] as const) {
    if (!body.includes(UNSUBSCRIBE_PLACEHOLDER))
      throw new TemplateError(`${file}: the ${part} part has no unsubscribe link ({{ links.unsubscribe }})`);
    if (!body.includes(PREFERENCES_PLACEHOLDER))
      throw new TemplateError(`${file}: the ${part} part has no preferences link ({{ links.preferences }})`);
    if (!body.includes(link))
      throw new TemplateError(
        `${file}: the ${part} part has no view-in-browser link ({{ links.viewInBrowser }})`,
      );
  }
  return { editionId, subject, preheader, html, text };
}
