import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** One fixture of this folder, parsed. */
export function loadSesNotification(name: string): unknown {
  return JSON.parse(readFileSync(join(import.meta.dirname, name), 'utf8'));
}
