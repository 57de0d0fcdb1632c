import { isDue } from '../../../core/content/select-published.js';
import type { Post, Publication } from '../../../core/model.js';
import { postUrl } from '../../../core/render/render-post.js';
import { html, type SafeHtml } from '../../html.js';
import { type PathOf, timeOf } from './console-frame.js';

/** Where a post stands at a given instant. */
export type PostState = 'published' | 'scheduled' | 'draft';

/** Published (on the archive), scheduled (dated in the future) or draft. */
export function postState(post: Post, now: Date): PostState {
  if (post.draft) return 'draft';
  return isDue(post, now) ? 'published' : 'scheduled';
}

/** The Posts page: every post by state, newest first, published ones linked to the archive. */
export function postsPage(input: {
  publication: Publication;
  posts: readonly Post[];
  now: Date;
  path: PathOf;
}): SafeHtml {
  const groups: Record<PostState, Post[]> = { published: [], scheduled: [], draft: [] };
  for (const post of input.posts) groups[postState(post, input.now)].push(post);
  for (const list of Object.values(groups)) list.sort((a, b) => b.date.getTime() - a.date.getTime());
  const group = (state: PostState, title: string, explain: string) => {
    const list = groups[state];
    return html`<section aria-labelledby="posts-${state}">
<h2 id="posts-${state}">${title} (${list.length})</h2>
<p>${explain}</p>
${
  list.length === 0
    ? html`<p class="empty">None.</p>`
    : html`<table tabindex="0">
<thead><tr><th scope="col">Title</th><th scope="col">Date</th><th scope="col">Tags</th><th scope="col">File</th>${state === 'published' ? html`<th scope="col">Mail</th>` : ''}</tr></thead>
<tbody>
${list.map((post) => row(input, post, state))}</tbody>
</table>`
}
</section>
`;
  };
  return html`<h1>Posts</h1>
${group('published', 'Published', 'On the archive and in the feeds; new ones go to immediate subscribers and into the next digests.')}
${group('scheduled', 'Scheduled', 'Dated in the future: they appear on their date (the hourly publish picks them up).')}
${group('draft', 'Drafts', 'Marked draft: true; never published until that line goes.')}`;
}

function row(input: { publication: Publication; path: PathOf }, post: Post, state: PostState): SafeHtml {
  const title =
    state === 'published'
      ? html`<a href="${postUrl(input.publication, post.slug)}">${post.title}</a>`
      : html`${post.title}`;
  return html`<tr>
<td>${title}</td>
<td>${timeOf(post.date.toISOString())}</td>
<td>${post.tags.length > 0 ? post.tags.join(', ') : html`<span class="empty">—</span>`}</td>
<td><code>${post.source.file}</code></td>
${
  state === 'published'
    ? html`<td><a href="${input.path(`editor/console/editions/preview?post=${encodeURIComponent(post.slug)}`)}">Preview its edition</a></td>`
    : ''
}
</tr>
`;
}
