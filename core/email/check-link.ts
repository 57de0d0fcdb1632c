import { InvalidLinkError } from './errors.js';

const HTTP_URL = /^https?:\/\/[^\s\u0000-\u001f\u007f-\u009f\u2028\u2029]+$/i;

/**
 * Refuses anything but an absolute http(s) URL without whitespace or control characters, so a
 * personal link can never turn into `javascript:` or break out of its line in the text part.
 */
export function checkLink(field: string, url: string): void {
  if (!HTTP_URL.test(url)) {
    throw new InvalidLinkError(
      field,
      `not an absolute http(s) URL without spaces: ${JSON.stringify(url.slice(0, 80))}`,
    );
  }
}
