import { randomBytes } from 'node:crypto';
import { link, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { generateSecret } from './hmac-token-signer.js';

const MIN_SECRET_BYTES = 32;

/**
 * The local stack's HMAC secret: read from `path`, or generated once (32 random bytes, base64url)
 * and written there readable by the owner only, so that links in mails sent earlier keep working
 * after a restart. On AWS the secret comes from Secrets Manager instead.
 *
 * @throws Error naming the file when it holds something that is not such a secret.
 */
export async function loadOrCreateSecret(path: string): Promise<string> {
  const existing = await readSecret(path);
  if (existing !== undefined) return existing;
  await mkdir(dirname(path), { recursive: true });
  const secret = generateSecret();
  // Written aside, then linked into place: a reader never sees a half-written file, and link()
  // fails if another process got there first.
  const aside = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(aside, `${secret}\n`, { flag: 'wx', mode: 0o600 });
  try {
    await link(aside, path);
    return secret;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const theirs = await readSecret(path);
    if (theirs === undefined) throw error;
    return theirs;
  } finally {
    await rm(aside, { force: true });
  }
}

async function readSecret(path: string): Promise<string | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const secret = text.trim();
  if (!/^[A-Za-z0-9_-]+$/.test(secret) || Buffer.from(secret, 'base64url').length < MIN_SECRET_BYTES) {
    throw new Error(
      `${path} does not hold a secret (${MIN_SECRET_BYTES}+ bytes, base64url): fix it, or delete it to generate a new one (links already sent will stop working)`,
    );
  }
  return secret;
}
