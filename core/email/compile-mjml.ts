import mjml2html from 'mjml';
import { TemplateError } from '../errors.js';

interface MjmlProblem {
  line: number;
  message: string;
  tagName: string;
}

/**
 * MJML (already filled by Liquid) to email HTML, validated strictly: a template that MJML
 * finds invalid throws a TemplateError naming the template, the line of the rendered MJML and
 * that line's text. No includes (core has no file system) and no web fonts (no external request).
 */
export async function compileMjml(name: string, mjml: string): Promise<string> {
  try {
    const result = await mjml2html(mjml, {
      validationLevel: 'strict',
      keepComments: false,
      ignoreIncludes: true,
      fonts: {},
    });
    return result.html;
  } catch (error) {
    const problems = (error as { errors?: MjmlProblem[] }).errors;
    if (!Array.isArray(problems)) {
      const message = error instanceof Error ? error.message : String(error);
      throw new TemplateError(`${name}: MJML failed: ${message}`, { cause: error });
    }
    const lines = mjml.split('\n');
    const detail = problems
      .map((p) => {
        const text = (lines[p.line - 1] ?? '').trim().slice(0, 120);
        return `  line ${p.line} (${p.tagName}): ${p.message}${text ? `\n    ${text}` : ''}`;
      })
      .join('\n');
    throw new TemplateError(`${name}: invalid MJML (lines of the rendered MJML):\n${detail}`, {
      cause: error,
    });
  }
}
