/** The web app with the editor API on in-memory delivery ports (see tests/support/web-test-app.ts). */
import type { Post } from '../../../../core/model.js';
import type { EditorAuth } from '../../../../web/editor/editor-deps.js';
import { writtenPost } from '../../../support/fixtures.js';
import { createTestApp, EDITOR_TOKEN } from '../../../support/web-test-app.js';

export { EDITOR_TOKEN };

/** Friday 27 November 2026, 10:00 UTC: an hour after the weekly slot (Fridays 09:00 in Berlin). */
export const NOW = '2026-11-27T10:00:00Z';

export function createEditorTestApp(options: { auth?: EditorAuth; posts?: Post[] } = {}) {
  const t = createTestApp({
    now: NOW,
    editor: options.auth ?? { kind: 'bearer', token: EDITOR_TOKEN },
    posts: options.posts ?? [
      writtenPost('harbour-strike', '2026-11-25T08:00:00Z', { tags: ['trade'] }),
      writtenPost('border-talks', '2026-11-26T08:00:00Z', { tags: ['europe'] }),
    ],
  });
  const { app } = t;

  /** A request to the app, with the editor token unless `auth` says otherwise. */
  const call = (
    method: string,
    path: string,
    init: { body?: unknown; raw?: string; type?: string; auth?: string | null; env?: unknown } = {},
  ) => {
    const headers: Record<string, string> = {};
    if (init.auth !== null) headers.authorization = init.auth ?? `Bearer ${EDITOR_TOKEN}`;
    let body: string | undefined;
    if (init.raw !== undefined || init.body !== undefined) {
      body = init.raw ?? JSON.stringify(init.body);
      headers['content-type'] = init.type ?? 'application/json';
    }
    return app.request(path, { method, headers, body }, init.env as never);
  };

  return { ...t, call };
}
