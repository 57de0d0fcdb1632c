/**
 * What Gazette accepts as an email address: one plain `local@domain`, no display name, no
 * comments, no list. The local part is an RFC 5322 dot-atom in ASCII (SES takes no UTF-8 local
 * parts); the domain is a host name whose labels may be internationalized (sent as punycode).
 */

const LOCAL = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const LABEL = /^[\p{L}\p{N}](?:[\p{L}\p{N}\p{M}-]*[\p{L}\p{N}\p{M}])?$/u;
const NUMERIC = /^[0-9]+$/;

/** True for a single deliverable-looking address such as `reader@example.com`. */
export function isEmailAddress(value: string): boolean {
  if (value.length > 254) return false;
  const at = value.lastIndexOf('@');
  if (at <= 0 || at === value.length - 1) return false;
  const local = value.slice(0, at);
  const domain = value.slice(at + 1);
  if (local.length > 64 || !LOCAL.test(local)) return false;
  const labels = domain.split('.');
  if (labels.length < 2) return false;
  for (const label of labels) {
    if (label.length === 0 || label.length > 63 || !LABEL.test(label)) return false;
  }
  return !NUMERIC.test(labels[labels.length - 1] ?? '');
}
