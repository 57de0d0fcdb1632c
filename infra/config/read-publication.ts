import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadPublication, PUBLICATION_FILE } from '../../core/content/load-content.js';
import type { Publication } from '../../core/model.js';

/**
 * publication.yaml of a content folder, validated by the same code the functions use. The stack
 * needs it at synth time: the schedules come from it, and the sender address scopes the SES grant.
 * @throws ContentError naming the file and line of every problem.
 */
export function readPublication(contentDir: string): Publication {
  const text = readFileSync(join(contentDir, PUBLICATION_FILE), 'utf8');
  return loadPublication([{ path: PUBLICATION_FILE, text }]);
}
