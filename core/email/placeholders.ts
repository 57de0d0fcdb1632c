/**
 * Per-recipient placeholders. An edition is rendered once with these markers where the
 * recipient's links go, then personalized by splicing strings (see personalize.ts).
 *
 * A marker is made only of `[A-Z0-9-]`, so Liquid's escaping, MJML and HTML minification leave it
 * intact, in an attribute as in text. Every string that content brings into a template goes
 * through {@link neutralizePlaceholders} first, so a post quoting a marker can never become a
 * splice point.
 */

/** Common start of every marker; content never contains it once neutralized. */
export const PLACEHOLDER_PREFIX = 'GAZETTE-PLACEHOLDER-7F3A9C';

/** Where each recipient's one-click unsubscribe URL goes. */
export const UNSUBSCRIBE_PLACEHOLDER = `${PLACEHOLDER_PREFIX}-UNSUBSCRIBE-URL`;
/** Where each recipient's preferences URL goes. */
export const PREFERENCES_PLACEHOLDER = `${PLACEHOLDER_PREFIX}-PREFERENCES-URL`;
/** Where the confirmation mail's signed confirm URL goes. */
export const CONFIRM_PLACEHOLDER = `${PLACEHOLDER_PREFIX}-CONFIRM-URL`;
/** Where the confirmation mail names the address it was requested for. */
export const RECIPIENT_PLACEHOLDER = `${PLACEHOLDER_PREFIX}-RECIPIENT-EMAIL`;

// A word joiner (U+2060) inside the prefix: invisible when read, but the bytes no longer match.
const NEUTRALIZED_PREFIX = `${PLACEHOLDER_PREFIX.slice(0, 7)}\u2060${PLACEHOLDER_PREFIX.slice(7)}`;

/**
 * Makes content inert: any occurrence of the marker prefix gets an invisible word joiner, so
 * splicing never finds it. Strings without the prefix are returned unchanged.
 */
export function neutralizePlaceholders(value: string): string {
  return value.includes(PLACEHOLDER_PREFIX)
    ? value.replaceAll(PLACEHOLDER_PREFIX, NEUTRALIZED_PREFIX)
    : value;
}
