/**
 * Diagnostic for the full build: what validating front matter costs, as `readPost` does it
 * (core/content/parse-post.ts): the zod schema of `frontMatterSchema(timeZone)`, built once per
 * time zone and reused for every post. YAML parsing is left out: the data is read before timing.
 */
import type { ContentFile } from '../../core/content/content-file.js';
import { frontMatterSchema } from '../../core/content/post-schema.js';
import { readYaml } from '../../core/content/read-yaml.js';
import { measure } from '../support/measure.js';
import { median } from '../support/stats.js';

/** The YAML between a post's opening and closing `---` lines. */
function frontMatterOf(text: string): string {
  const lines = text.split('\n');
  const close = lines.findIndex((line, i) => i > 0 && line.trim() === '---');
  return lines.slice(1, close).join('\n');
}

export async function frontMatterSchemaCost(
  files: readonly ContentFile[],
  timeZone: string,
): Promise<{ posts: number; validateMs: number }> {
  const data = files
    .filter((f) => f.path.startsWith('posts/'))
    .map((f) => {
      const yaml = readYaml(frontMatterOf(f.text), { file: f.path, firstLine: 2 });
      if (!yaml.ok) throw new Error(`${f.path}: front matter does not parse`);
      return yaml.value.data;
    });
  const validate = await measure(
    () => {
      for (const d of data) {
        if (!frontMatterSchema(timeZone).safeParse(d, { reportInput: true }).success)
          throw new Error('synthetic front matter failed validation');
      }
    },
    { warmup: 1, runs: 3 },
  );
  return { posts: data.length, validateMs: median(validate) };
}
