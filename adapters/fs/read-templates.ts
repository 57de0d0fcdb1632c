import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Reads every file of a template folder (not recursive) into a name → text map. */
export async function readTemplateDir(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const names = (await readdir(dir, { withFileTypes: true })).filter(
    (e) => e.isFile() && !e.name.startsWith('.'),
  );
  for (const entry of names.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    out[entry.name] = await readFile(join(dir, entry.name), 'utf8');
  }
  return out;
}

/** The site and email templates of a `templates/` folder. */
export async function readTemplates(
  root: string,
): Promise<{ site: Record<string, string>; email: Record<string, string> }> {
  const [site, email] = await Promise.all([
    readTemplateDir(join(root, 'site')),
    readTemplateDir(join(root, 'email')),
  ]);
  return { site, email };
}
