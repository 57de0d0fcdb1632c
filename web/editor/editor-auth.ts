import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { HttpProblemError } from '../http-problem.js';
import type { EditorAuth } from './editor-deps.js';

const REALM = 'Bearer realm="gazette-editor"';

/** A new editor token: 256 random bits, base64url (what the local stack prints at start). */
export function newEditorToken(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * Refuses every editor request that does not prove an editor's identity, before anything reads
 * its body or looks anything up (so an outsider learns nothing, not even which ids exist).
 * Bearer tokens are compared in constant time over their SHA-256 digests, so neither the
 * content nor the length of the token leaks through timing.
 */
export function editorAuth(auth: EditorAuth): MiddlewareHandler {
  if (auth.kind === 'bearer' && auth.token.length < 16) {
    throw new RangeError('the editor token must be at least 16 characters');
  }
  const expected = auth.kind === 'bearer' ? digest(auth.token) : undefined;
  return async (c, next) => {
    if (auth.kind === 'iam') {
      const env = c.env as { event?: { requestContext?: { authorizer?: { iam?: unknown } } } } | undefined;
      const iam = env?.event?.requestContext?.authorizer?.iam;
      if (typeof iam !== 'object' || iam === null) {
        throw new HttpProblemError(403, {
          field: 'authorization',
          message: 'editor requests must be signed with AWS SigV4 (IAM) through the editor API',
        });
      }
      return next();
    }
    const header = c.req.header('authorization');
    const match = header === undefined ? null : /^Bearer[ ]+([^\s]+)[ ]*$/i.exec(header);
    if (!match) {
      throw new HttpProblemError(
        401,
        { field: 'authorization', message: 'send the editor token as "Authorization: Bearer <token>"' },
        { 'WWW-Authenticate': REALM },
      );
    }
    if (!expected || !timingSafeEqual(digest(match[1] as string), expected)) {
      throw new HttpProblemError(
        401,
        { field: 'authorization', message: 'the editor token is not valid' },
        { 'WWW-Authenticate': `${REALM}, error="invalid_token"` },
      );
    }
    return next();
  };
}

function digest(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}
