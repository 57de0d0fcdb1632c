/**
 * Only `publication.yaml`, for the send function: it needs the sender, the title and the URL,
 * not the posts (and no Markdown renderer comes into its bundle).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PUBLICATION_FILE } from '../../core/content/load-content.js';
import { parsePublication } from '../../core/content/parse-publication.js';
import { ContentError } from '../../core/errors.js';
import type { Publication } from '../../core/model.js';
import type { ObjectStore } from '../../core/ports.js';

/**
 * The publication, from the content bucket when one is given, else from the bundled content/
 * folder, with `url` set to `publicUrl` (where every link of this deployment points).
 *
 * @throws ContentError naming the file and line of every problem, or the missing file.
 */
export async function readPublication(
  from: { bucket: ObjectStore } | { dir: string },
  publicUrl: string,
): Promise<Publication> {
  let text: string | undefined;
  if ('bucket' in from) {
    const object = await from.bucket.get(PUBLICATION_FILE);
    text = object ? new TextDecoder('utf-8').decode(object.body) : undefined;
  } else {
    try {
      text = await readFile(join(from.dir, PUBLICATION_FILE), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  if (text === undefined) {
    throw new ContentError([{ file: PUBLICATION_FILE, message: `${PUBLICATION_FILE} is missing` }]);
  }
  const parsed = parsePublication({ path: PUBLICATION_FILE, text });
  if (!parsed.ok) throw new ContentError(parsed.problems);
  return { ...parsed.value, url: publicUrl.endsWith('/') ? publicUrl : `${publicUrl}/` };
}
