import type { z } from 'zod';
import type { ContentProblem } from '../model.js';
import type { YamlData } from './read-yaml.js';
import { suggestName } from './suggest-name.js';

/** How to word the problems of one kind of file. */
export interface IssueWording {
  /** The fields allowed at a path (`''` is the top level, `'author'`, `'email.from'`), for suggestions. */
  fields: Readonly<Record<string, readonly string[]>>;
  /** A message for an unknown key that deserves more than "unknown field" (a cadence, say). */
  unknownKey?: (path: string, key: string) => string | undefined;
}

/**
 * Turns schema issues into content problems placed on their lines. Schemas word their own
 * messages; only unknown keys are worded here, because zod reports them per object.
 */
export function reportIssues(
  issues: readonly z.core.$ZodIssue[],
  file: string,
  yaml: YamlData,
  wording: IssueWording,
): ContentProblem[] {
  const problems: ContentProblem[] = [];
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      const path = issue.path.map(String).join('.');
      for (const key of issue.keys) {
        problems.push({
          file,
          line: yaml.lineOf([...issue.path, key]),
          message: wording.unknownKey?.(path, key) ?? unknownField(path, key, wording.fields[path] ?? []),
        });
      }
    } else {
      problems.push({ file, line: yaml.lineOf(issue.path), message: issue.message });
    }
  }
  return problems;
}

function unknownField(path: string, key: string, known: readonly string[]): string {
  const guess = suggestName(key, known);
  return `unknown field '${key}'${path ? ` in ${path}` : ''}${guess ? ` (did you mean '${guess}'?)` : ''}`;
}
