import { z } from 'zod';
import type { Weekday } from '../model.js';
import { isValidTimeZone } from '../time/zoned.js';
import { emailAddress, expecting, httpUrl, line, lines, paragraph, quoted } from './text-fields.js';

const WEEKDAYS: readonly Weekday[] = [
  'monday',
  'tuesday',
  'wednesday',
  'thursday',
  'friday',
  'saturday',
  'sunday',
];

/** The most feed items a feed may carry: beyond it feed readers time out and mail clients clip. */
export const MAX_FEED_ITEMS = 1000;

/** The fields allowed at each level of publication.yaml, for "did you mean" hints. */
export const PUBLICATION_FIELDS: Readonly<Record<string, readonly string[]>> = {
  '': [
    'title',
    'description',
    'url',
    'language',
    'timeZone',
    'author',
    'email',
    'postalAddress',
    'schedule',
    'feed',
  ],
  author: ['name', 'email', 'url'],
  email: ['from', 'replyTo'],
  'email.from': ['name', 'address'],
  'schedule.daily': ['time', 'timeZone'],
  'schedule.weekly': ['day', 'time', 'timeZone'],
  feed: ['items', 'content'],
};

function fields(label: string, example: string) {
  return expecting(label, `a group of fields (${example})`);
}

/** A public base URL; the archive lives under it, so it always ends with `/`. */
function baseUrl() {
  return httpUrl('url').transform((href, ctx) => {
    const url = new URL(href);
    if (url.search || url.hash) {
      ctx.addIssue({ code: 'custom', message: `url ${quoted(href)} must not have a query or a fragment` });
      return z.NEVER;
    }
    if (!url.pathname.endsWith('/')) url.pathname = `${url.pathname}/`;
    return url.href;
  });
}

function languageTag() {
  return line('language').transform((value, ctx) => {
    try {
      const [canonical] = Intl.getCanonicalLocales(value);
      if (canonical) return canonical;
    } catch {
      // RangeError: not a well-formed tag; reported below.
    }
    ctx.addIssue({
      code: 'custom',
      message: `language ${quoted(value)} is not a BCP 47 language tag (e.g. en, en-GB, de)`,
    });
    return z.NEVER;
  });
}

/** An IANA zone name, spelled as the runtime spells it (`europe/berlin` → `Europe/Berlin`). */
export function timeZoneName(label: string) {
  return line(label).transform((value, ctx) => {
    // Intl also takes offsets such as +01:00; those do not follow daylight saving, so refuse them.
    if (/^[+-]/.test(value) || !isValidTimeZone(value)) {
      ctx.addIssue({
        code: 'custom',
        message: `${label} ${quoted(value)} is not an IANA time zone (e.g. Europe/Berlin, America/New_York, UTC)`,
      });
      return z.NEVER;
    }
    return new Intl.DateTimeFormat('en-US', { timeZone: value }).resolvedOptions().timeZone;
  });
}

function clockTime(label: string) {
  return line(label).transform((value, ctx) => {
    const m = /^(\d{1,2}):(\d{2})$/.exec(value);
    const hour = Number(m?.[1]);
    const minute = Number(m?.[2]);
    if (!m || hour > 23 || minute > 59) {
      ctx.addIssue({
        code: 'custom',
        message: `${label} ${quoted(value)} must be a time HH:MM (00:00 to 23:59)`,
      });
      return z.NEVER;
    }
    return `${String(hour).padStart(2, '0')}:${m[2]}`;
  });
}

function weekday(label: string) {
  return line(label).transform((value, ctx): Weekday => {
    const day = WEEKDAYS.find((d) => d === value.toLowerCase());
    if (!day) {
      ctx.addIssue({
        code: 'custom',
        message: `${label} ${quoted(value)} must be a day of the week (monday to sunday)`,
      });
      return z.NEVER;
    }
    return day;
  });
}

function feedItems() {
  return line('feed.items').transform((value, ctx) => {
    const n = /^\d+$/.test(value) ? Number(value) : Number.NaN;
    if (!(n >= 1 && n <= MAX_FEED_ITEMS)) {
      ctx.addIssue({
        code: 'custom',
        message: `feed.items ${quoted(value)} must be a whole number from 1 to ${MAX_FEED_ITEMS}`,
      });
      return z.NEVER;
    }
    return n;
  });
}

function feedContent() {
  return line('feed.content').transform((value, ctx): 'full' | 'summary' => {
    if (value === 'full' || value === 'summary') return value;
    ctx.addIssue({ code: 'custom', message: `feed.content ${quoted(value)} must be full or summary` });
    return z.NEVER;
  });
}

const author = z.preprocess(
  // `author: Jane Doe` is shorthand for `author: { name: Jane Doe }`.
  (value) => (typeof value === 'string' ? { name: value } : value),
  z.strictObject(
    {
      name: line('author.name'),
      email: emailAddress('author.email').optional(),
      url: httpUrl('author.url').optional(),
    },
    { error: fields('author', 'name:, email:, url:') },
  ),
);

const email = z.strictObject(
  {
    from: z.strictObject(
      {
        // A header value: line() keeps it to one line without control characters.
        name: line('email.from.name'),
        address: emailAddress('email.from.address'),
      },
      { error: fields('email.from', 'name:, address:') },
    ),
    replyTo: emailAddress('email.replyTo').optional(),
  },
  { error: fields('email', 'from:, replyTo:') },
);

const schedule = z.strictObject(
  {
    daily: z
      .strictObject(
        {
          time: clockTime('schedule.daily.time'),
          timeZone: timeZoneName('schedule.daily.timeZone').optional(),
        },
        { error: fields('schedule.daily', 'time:, timeZone:') },
      )
      .optional(),
    weekly: z
      .strictObject(
        {
          day: weekday('schedule.weekly.day'),
          time: clockTime('schedule.weekly.time'),
          timeZone: timeZoneName('schedule.weekly.timeZone').optional(),
        },
        { error: fields('schedule.weekly', 'day:, time:, timeZone:') },
      )
      .optional(),
  },
  { error: fields('schedule', 'daily:, weekly:') },
);

const feed = z.strictObject(
  { items: feedItems().default(20), content: feedContent().default('full') },
  { error: fields('feed', 'items:, content:') },
);

/**
 * `publication.yaml` as read by read-yaml.ts (scalars as text). Schedules may leave out their
 * time zone; parsePublication fills in the publication's.
 */
export const publicationSchema = z.strictObject(
  {
    title: line('title'),
    description: paragraph('description'),
    url: baseUrl(),
    language: languageTag(),
    timeZone: timeZoneName('timeZone'),
    author,
    email,
    postalAddress: lines('postalAddress'),
    schedule: schedule.default({}),
    feed: feed.default({ items: 20, content: 'full' }),
  },
  { error: expecting('publication.yaml', 'a group of fields (title:, url:, …)') },
);

/** Wording for an unknown key under `schedule:`: it is a cadence nobody schedules. */
export function unknownCadence(path: string, key: string): string | undefined {
  if (path !== 'schedule') return undefined;
  const hint = key === 'immediate' ? '; immediate mail goes out on publishing and needs no schedule' : '';
  return `unknown cadence '${key}' under schedule (use daily or weekly${hint})`;
}
