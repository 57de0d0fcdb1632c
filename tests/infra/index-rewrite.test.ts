import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './synth-gazette.js';

interface Request {
  uri: string;
  method: string;
  querystring: Record<string, { value: string }>;
  headers: Record<string, { value: string }>;
}
type Result = Request | { statusCode: number; headers: Record<string, { value: string }> };

// The CloudFront Function's source, evaluated as CloudFront does: a script defining `handler`.
const source = readFileSync(join(ROOT, 'infra', 'edge', 'index-rewrite.js'), 'utf8');
const handler = new Function(`${source}\nreturn handler;`)() as (event: { request: Request }) => Result;

const request = (uri: string): Request => ({ uri, method: 'GET', querystring: {}, headers: {} });

describe('CloudFront viewer-request function (folder URLs to index.html)', () => {
  it.each([
    ['/', '/index.html'],
    ['/posts/russia-cuba/', '/posts/russia-cuba/index.html'],
    ['/tags/security/', '/tags/security/index.html'],
    ['/editions/weekly-2026-W48/', '/editions/weekly-2026-W48/index.html'],
  ])('serves %s from %s', (uri, key) => {
    expect(handler({ request: request(uri) })).toMatchObject({ uri: key });
  });

  it.each(['/feed.xml', '/atom.xml', '/feed.json', '/assets/style.css', '/posts/x/index.html', '/404.html'])(
    'passes %s through unchanged',
    (uri) => {
      expect(handler({ request: request(uri) })).toEqual(request(uri));
    },
  );

  it('redirects a folder URL without its slash, so relative links keep working', () => {
    const result = handler({ request: request('/posts/russia-cuba') });
    expect(result).toMatchObject({
      statusCode: 301,
      headers: { location: { value: '/posts/russia-cuba/' } },
    });
  });

  it('keeps a dot in a folder name from looking like a file only in the last segment', () => {
    expect(handler({ request: request('/posts/v1.2-notes/') })).toMatchObject({
      uri: '/posts/v1.2-notes/index.html',
    });
  });
});
