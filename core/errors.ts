import type { ContentProblem } from './model.js';

/** Content that cannot be published: every problem found, each with its file and line. */
export class ContentError extends Error {
  override readonly name = 'ContentError';
  constructor(
    readonly problems: readonly ContentProblem[],
    options?: { cause?: unknown },
  ) {
    super(formatProblems(problems), options);
  }
}

/** `posts/a.md:3: title is required` — one line per problem, in a stable order. */
export function formatProblems(problems: readonly ContentProblem[]): string {
  return problems.map((p) => `${p.file}${p.line !== undefined ? `:${p.line}` : ''}: ${p.message}`).join('\n');
}

/** A template that does not render (bad Liquid, invalid MJML). */
export class TemplateError extends Error {
  override readonly name = 'TemplateError';
}

/** Configuration that is missing or wrong: every problem listed. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    readonly problems: readonly string[],
    options?: { cause?: unknown },
  ) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`, options);
  }
}
