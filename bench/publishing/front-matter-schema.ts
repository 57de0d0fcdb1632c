/**
 * Diagnostic for the full build: what validating front matter costs when the zod schema is built
 * again for every post (as `readPost` does through `frontMatterSchema(timeZone)`), against one
 * schema built once and reused. Same data, same schema definition, same process.
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
): Promise<{ posts: number; perPostSchemaMs: number; oneSchemaMs: number }> {
  const data = files
    .filter((f) => f.path.startsWith('posts/'))
    .map((f) => {
      const yaml = readYaml(frontMatterOf(f.text), { file: f.path, firstLine: 2 });
      if (!yaml.ok) throw new Error(`${f.path}: front matter does not parse`);
      return yaml.value.data;
    });
  const check = (result: { success: boolean }) => {
    if (!result.success) throw new Error('synthetic front matter failed validation');
  };
  const perPost = await measure(
    () => {
      for (const d of data) check(frontMatterSchema(timeZone).safeParse(d, { reportInput: true }));
    },
    { warmup: 1, runs: 3 },
  );
  const oneSchema = await measure(
    () => {
      const schema = frontMatterSchema(timeZone);
      for (const d of data) check(schema.safeParse(d, { reportInput: true }));
    },
    { warmup: 1, runs: 3 },
  );
  return { posts: data.length, perPostSchemaMs: median(perPost), oneSchemaMs: median(oneSchema) };
}
