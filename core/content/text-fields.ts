/**
 * Schema building blocks for YAML read as text (see read-yaml.ts): every scalar arrives as a
 * string, and each block words its own problems with the field's name.
 */
import { z } from 'zod';

type Issue = z.core.$ZodRawIssue;

/** A value shown inside a message: one line, at most 60 characters, control characters escaped. */
export function quoted(value: string): string {
  const shown = value.length > 60 ? `${value.slice(0, 59)}…` : value;
  return `'${shown.replace(/\p{Cc}/gu, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}'`;
}

/** The message for a value of the wrong shape, or a missing one. */
export function expecting(label: string, what: string): (issue: Issue) => string {
  return (issue) => (issue.input === undefined ? `${label} is required` : `${label} must be ${what}`);
}

const LINE_BREAK = /[\n\r\u2028\u2029\u0085]/;
const CONTROL = /\p{Cc}/u;

function checkedLine(label: string, raw: string, ctx: z.RefinementCtx): string | undefined {
  const value = raw.trim();
  if (LINE_BREAK.test(value)) {
    ctx.addIssue({ code: 'custom', message: `${label} must be one line` });
    return undefined;
  }
  if (CONTROL.test(value)) {
    ctx.addIssue({ code: 'custom', message: `${label} contains a control character` });
    return undefined;
  }
  return value;
}

/** Required text on one line, trimmed. */
export function line(label: string) {
  return z.string({ error: expecting(label, 'text') }).transform((raw, ctx) => {
    const value = checkedLine(label, raw, ctx);
    if (value === undefined) return z.NEVER;
    if (value === '') {
      ctx.addIssue({ code: 'custom', message: `${label} is required` });
      return z.NEVER;
    }
    return value;
  });
}

/** Optional text on one line, trimmed; empty text counts as absent. */
export function optionalLine(label: string) {
  return z
    .string({ error: expecting(label, 'text') })
    .transform((raw, ctx) => {
      const value = checkedLine(label, raw, ctx);
      if (value === undefined) return z.NEVER;
      return value === '' ? undefined : value;
    })
    .optional();
}

function collapse(label: string, raw: string, ctx: z.RefinementCtx): string | undefined {
  const value = raw.replace(/\s+/g, ' ').trim();
  if (CONTROL.test(value)) {
    ctx.addIssue({ code: 'custom', message: `${label} contains a control character` });
    return undefined;
  }
  return value;
}

/** Required prose; line breaks and runs of spaces become single spaces (YAML `>` blocks welcome). */
export function paragraph(label: string) {
  return z.string({ error: expecting(label, 'text') }).transform((raw, ctx) => {
    const value = collapse(label, raw, ctx);
    if (value === undefined) return z.NEVER;
    if (value === '') {
      ctx.addIssue({ code: 'custom', message: `${label} is required` });
      return z.NEVER;
    }
    return value;
  });
}

/** Optional prose, as {@link paragraph}; empty counts as absent. */
export function optionalParagraph(label: string) {
  return z
    .string({ error: expecting(label, 'text') })
    .transform((raw, ctx) => {
      const value = collapse(label, raw, ctx);
      if (value === undefined) return z.NEVER;
      return value === '' ? undefined : value;
    })
    .optional();
}

/** Required text whose lines matter (a postal address): each line trimmed, blank lines dropped. */
export function lines(label: string) {
  return z.string({ error: expecting(label, 'text') }).transform((raw, ctx) => {
    const kept = raw
      .split(/\r\n|[\n\r\u2028\u2029\u0085]/)
      .map((l) => l.replace(/\t/g, ' ').trim())
      .filter((l) => l !== '');
    if (kept.some((l) => CONTROL.test(l))) {
      ctx.addIssue({ code: 'custom', message: `${label} contains a control character` });
      return z.NEVER;
    }
    if (kept.length === 0) {
      ctx.addIssue({ code: 'custom', message: `${label} is required` });
      return z.NEVER;
    }
    return kept.join('\n');
  });
}

/** An absolute `http:` or `https:` URL, normalized by the URL parser. */
export function httpUrl(label: string) {
  return line(label).transform((value, ctx) => {
    const url = URL.canParse(value) ? new URL(value) : undefined;
    if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
      ctx.addIssue({ code: 'custom', message: `${label} ${quoted(value)} must be an http(s) URL` });
      return z.NEVER;
    }
    if (url.username || url.password) {
      ctx.addIssue({ code: 'custom', message: `${label} must not contain a user name or password` });
      return z.NEVER;
    }
    return url.href;
  });
}

/** An email address (`name@example.com`, no display name). */
export function emailAddress(label: string) {
  return line(label).transform((value, ctx) => {
    if (!z.regexes.email.test(value)) {
      ctx.addIssue({ code: 'custom', message: `${label} ${quoted(value)} is not an email address` });
      return z.NEVER;
    }
    return value;
  });
}

/** `true` or `false` (YAML 1.2 spellings: also `True`, `TRUE`, `False`, `FALSE`). */
export function flag(label: string) {
  return z.string({ error: expecting(label, 'true or false') }).transform((raw, ctx) => {
    const value = raw.trim();
    if (/^(true|True|TRUE)$/.test(value)) return true;
    if (/^(false|False|FALSE)$/.test(value)) return false;
    ctx.addIssue({ code: 'custom', message: `${label} must be true or false, not ${quoted(value)}` });
    return z.NEVER;
  });
}
