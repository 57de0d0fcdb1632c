import type { Publication } from '../model.js';
import type { ContentFile } from './content-file.js';
import type { ParseResult } from './parse-result.js';
import { stripBom, withoutUndefined } from './plain-values.js';
import { PUBLICATION_FIELDS, publicationSchema, unknownCadence } from './publication-schema.js';
import { readYaml } from './read-yaml.js';
import { reportIssues } from './report-issues.js';

/**
 * Parses and validates `publication.yaml`. Unknown fields are problems (a typo must not pass
 * silently); every problem names the file and, where it has one, the line.
 */
export function parsePublication(file: ContentFile): ParseResult<Publication> {
  const yaml = readYaml(stripBom(file.text), { file: file.path, firstLine: 1 });
  if (!yaml.ok) return yaml;
  const parsed = publicationSchema.safeParse(yaml.value.data, { reportInput: true });
  if (!parsed.success) {
    const problems = reportIssues(parsed.error.issues, file.path, yaml.value, {
      fields: PUBLICATION_FIELDS,
      unknownKey: unknownCadence,
    });
    return { ok: false, problems };
  }
  const p = parsed.data;
  const { daily, weekly } = p.schedule;
  return {
    ok: true,
    value: {
      title: p.title,
      description: p.description,
      url: p.url,
      language: p.language,
      timeZone: p.timeZone,
      author: withoutUndefined(p.author),
      email: withoutUndefined({ from: p.email.from, replyTo: p.email.replyTo }),
      postalAddress: p.postalAddress,
      // A schedule without its own time zone runs in the publication's.
      schedule: withoutUndefined({
        daily: daily && { time: daily.time, timeZone: daily.timeZone ?? p.timeZone },
        weekly: weekly && { day: weekly.day, time: weekly.time, timeZone: weekly.timeZone ?? p.timeZone },
      }),
      feed: p.feed,
    },
  };
}
