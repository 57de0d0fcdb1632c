/**
 * The publication's vocabulary as types. See docs/glossary.md for the words.
 * Everything here is plain data: no I/O, no clock.
 */

/** How often a subscriber gets mail. */
export type Cadence = 'immediate' | 'daily' | 'weekly';
export const CADENCES: readonly Cadence[] = ['immediate', 'daily', 'weekly'];

/** Digest cadences are the ones that run on a schedule. */
export type DigestCadence = Exclude<Cadence, 'immediate'>;
export const DIGEST_CADENCES: readonly DigestCadence[] = ['daily', 'weekly'];

export type Weekday = 'monday' | 'tuesday' | 'wednesday' | 'thursday' | 'friday' | 'saturday' | 'sunday';

export interface DailySchedule {
  /** Local wall-clock time, `HH:MM`. */
  time: string;
  /** IANA time zone, e.g. `Europe/Berlin`. */
  timeZone: string;
}

export interface WeeklySchedule extends DailySchedule {
  day: Weekday;
}

/** `content/publication.yaml`, validated. */
export interface Publication {
  title: string;
  description: string;
  /** Public base URL, always ending with `/`. */
  url: string;
  /** BCP 47 language tag, e.g. `en` or `en-GB`. */
  language: string;
  /** IANA time zone in which posts' dates without an offset are read. */
  timeZone: string;
  author: { name: string; email?: string | undefined; url?: string | undefined };
  email: {
    from: { name: string; address: string };
    replyTo?: string | undefined;
  };
  /** Physical postal address printed in every mail's footer (CAN-SPAM). */
  postalAddress: string;
  schedule: { daily?: DailySchedule | undefined; weekly?: WeeklySchedule | undefined };
  feed: { items: number; content: 'full' | 'summary' };
}

export interface PostImage {
  /** A URL, absolute or relative to the publication URL. */
  src: string;
  alt: string;
}

/** Where a post came from, for error messages. */
export interface SourceRef {
  /** Path relative to the content folder, e.g. `posts/hello.md`. */
  file: string;
  /** 1-based line of the first body line in the file. */
  bodyLine: number;
}

/** A post as written: front matter and Markdown, validated, not yet rendered. */
export interface Post {
  slug: string;
  title: string;
  /** Publication instant. */
  date: Date;
  /**
   * When the post first appeared in the archive, from the publish record (at or after `date`).
   * Digests place posts by it, so a post dated before a digest went out but published after it
   * is in the next digest. Unset when unknown: `date` stands in.
   */
  publishedAt?: Date | undefined;
  updated?: Date | undefined;
  summary?: string | undefined;
  tags: string[];
  author?: string | undefined;
  image?: PostImage | undefined;
  /** Who or what the post credits as its source, shown under the post. */
  credit?: { name: string; url?: string | undefined } | undefined;
  draft: boolean;
  /** The Markdown body. */
  body: string;
  source: SourceRef;
}

/** A post rendered to sanitized HTML, ready for pages, feeds and email. */
export interface RenderedPost extends Post {
  /** Sanitized HTML of the body. */
  html: string;
  /** Plain-text summary: the front matter summary or the body's first paragraph, trimmed. */
  summaryText: string;
  /** Absolute URL of the post's archive page. */
  url: string;
}

/** One problem found in content, with its place. */
export interface ContentProblem {
  /** Path relative to the content folder. */
  file: string;
  /** 1-based line, where the problem has one. */
  line?: number | undefined;
  message: string;
}
