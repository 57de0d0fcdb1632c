/**
 * Email addresses as the subscriber list sees them: one spelling per mailbox, and only
 * addresses that SES can send to and that cannot smuggle anything into a mail header.
 */

/** Spaces that copy and paste leave around an address (not CR or LF: those are refused). */
const EDGE_SPACE =
  /^[ \t\u00a0\u1680\u2000-\u200b\u202f\u205f\u3000\ufeff]+|[ \t\u00a0\u1680\u2000-\u200b\u202f\u205f\u3000\ufeff]+$/g;

/** RFC 5322 `atext`: what a dot-atom local part may hold besides dots. */
const LOCAL_ATOM = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+$/;
const DOMAIN_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
/** C0 and C1 control characters, DEL, and the Unicode line and paragraph separators. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/**
 * The canonical spelling of an address: surrounding spaces removed, the WHOLE address lower-cased
 * (local part included), Unicode in NFC, and an internationalized domain in its ASCII (punycode)
 * form. Idempotent.
 *
 * Lower-casing the local part goes beyond RFC 5321, which lets a server treat `Ann@` and `ann@` as
 * two mailboxes. No mainstream provider does; treating them as two subscribers instead would let
 * one person hold two records, and would let an unsubscribed or suppressed address come back by
 * changing its case. Dots and `+tags` are kept: merging them is one provider's rule, not a
 * standard, and would join distinct mailboxes elsewhere.
 *
 * CR, LF and other control characters are left in place so that {@link emailProblem} refuses the
 * address instead of this function quietly repairing hostile input.
 */
export function normalizeEmail(input: string): string {
  const lowered = input.replace(EDGE_SPACE, '').toLowerCase().normalize('NFC');
  const at = lowered.lastIndexOf('@');
  if (at < 0) return lowered;
  return `${lowered.slice(0, at)}@${asciiDomain(lowered.slice(at + 1))}`;
}

function asciiDomain(domain: string): string {
  if (/^[\u0020-\u007e]*$/.test(domain)) return domain;
  // Characters that a URL parser reads as structure would change what the domain means.
  if (/[\s/?#@:[\]\\%]/.test(domain) || CONTROL.test(domain)) return domain;
  try {
    return new URL(`http://${domain}/`).hostname;
  } catch {
    return domain;
  }
}

/**
 * Why an address cannot be used, as a phrase to put after the field's name ("email
 * must contain exactly one @"), or undefined when it is fine. Checks RFC 5321 limits (254
 * characters in all, 64 before the @), refuses control characters (CR/LF header injection),
 * quoted or non-ASCII local parts (SES sends neither) and domains without a dot. Meant for the
 * output of {@link normalizeEmail}.
 */
export function emailProblem(address: string): string | undefined {
  if (address.length === 0) return 'is empty';
  if (CONTROL.test(address)) return 'must not contain control characters such as CR or LF';
  if (new TextEncoder().encode(address).length > 254) return 'must be at most 254 characters long';
  const parts = address.split('@');
  if (parts.length !== 2) return 'must contain exactly one @';
  const [local = '', domain = ''] = parts;
  if (local.length === 0) return 'needs a name before the @';
  if (local.length > 64) return 'must have at most 64 characters before the @';
  const atoms = local.split('.');
  if (atoms.some((a) => a.length === 0)) return 'must not start or end with a dot, or have two dots in a row';
  if (!atoms.every((a) => LOCAL_ATOM.test(a))) {
    return "may only use letters a-z, digits and . ! # $ % & ' * + / = ? ^ _ ` { | } ~ - before the @";
  }
  if (domain.length === 0) return 'needs a domain after the @';
  if (domain.length > 253) return 'must have a domain of at most 253 characters';
  const labels = domain.split('.');
  if (labels.length < 2) return 'needs a domain with a dot, such as example.com';
  const bad = labels.find((l) => !DOMAIN_LABEL.test(l));
  if (bad !== undefined) {
    // The offending part is not echoed: error messages end up in pages and logs.
    return bad.length === 0
      ? 'must not have two dots in a row, or a dot at either end, in its domain'
      : 'must have a domain of letters, digits and hyphens between dots (at most 63 each)';
  }
  if (/^[0-9]+$/.test(labels[labels.length - 1] ?? '')) return 'must not end in a numeric domain part';
  return undefined;
}

/** True when {@link emailProblem} finds nothing wrong. */
export function isValidEmail(address: string): boolean {
  return emailProblem(address) === undefined;
}
