import { isSlug } from '../../core/content/slugify.js';
import { DIGEST_CADENCES, type DigestCadence } from '../../core/model.js';
import { UsageError } from '../command.js';
import { stringOption } from '../parse-options.js';

/** A digest of a cadence, or one post's edition, as the editor API takes it. */
export type EditionChoice = { cadence: DigestCadence } | { post: string };

/**
 * `--cadence daily|weekly` or `--post SLUG`, checked before anything is asked of the API.
 * Without either: undefined, or a UsageError when `required`.
 */
export function editionRequestOf(
  command: string,
  values: Record<string, unknown>,
  options: { required: true },
): EditionChoice;
export function editionRequestOf(
  command: string,
  values: Record<string, unknown>,
  options?: { required?: boolean },
): EditionChoice | undefined;
export function editionRequestOf(
  command: string,
  values: Record<string, unknown>,
  options: { required?: boolean } = {},
): EditionChoice | undefined {
  const cadence = stringOption(values, 'cadence');
  const post = stringOption(values, 'post');
  if (cadence !== undefined && post !== undefined) {
    throw new UsageError('give --cadence or --post, not both', command);
  }
  if (post !== undefined) {
    if (!isSlug(post)) {
      throw new UsageError(
        `--post must be a post slug (lowercase a-z, 0-9 and single hyphens), not "${post}"`,
        command,
      );
    }
    return { post };
  }
  if (cadence !== undefined) {
    if (!DIGEST_CADENCES.includes(cadence as DigestCadence)) {
      throw new UsageError(
        cadence === 'immediate'
          ? 'immediate subscribers get one edition per post: use --post SLUG'
          : `--cadence must be daily or weekly, not "${cadence}"`,
        command,
      );
    }
    return { cadence: cadence as DigestCadence };
  }
  if (options.required)
    throw new UsageError('say what to send: --cadence daily|weekly or --post SLUG', command);
  return undefined;
}

/** `cadence=weekly` or `post=<slug>` for a query string. */
export function requestQuery(request: EditionChoice): string {
  return 'post' in request
    ? `post=${encodeURIComponent(request.post)}`
    : `cadence=${encodeURIComponent(request.cadence)}`;
}
