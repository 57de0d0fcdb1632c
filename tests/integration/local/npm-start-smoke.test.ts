import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../support/cli-harness.js';
import { freePort } from '../../support/free-port.js';

async function portIsFree(port: number): Promise<boolean> {
  const server = createServer();
  return new Promise((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

function waitForOutput(child: ChildProcess, pattern: RegExp, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(
      () => reject(new Error(`timed out waiting for ${pattern}; output so far:\n${seen}`)),
      timeoutMs,
    );
    const onData = (chunk: Buffer) => {
      seen += chunk.toString();
      if (pattern.test(seen)) {
        clearTimeout(timer);
        resolve(seen);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`npm start exited with ${code} before it was ready:\n${seen}`));
    });
  });
}

describe('npm start (smoke)', () => {
  let child: ChildProcess | undefined;
  afterAll(() => {
    try {
      if (child?.pid && child.exitCode === null) process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  });

  it('serves the feeds with ETag and 304, and stops cleanly on Ctrl-C', async () => {
    const port = await freePort();
    const state = await mkdtemp(join(tmpdir(), 'gazette-smoke-'));
    child = spawn('npm', ['start', '--', '--state', state, '--no-watch'], {
      cwd: repoRoot,
      env: { ...process.env, PORT: String(port) },
      detached: true, // its own process group, so the whole tree can be signalled like a terminal would
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const banner = await waitForOutput(child, /Press Ctrl-C to stop/, 60_000);
    expect(banner).toContain(`archive      http://127.0.0.1:${port}/`);
    expect(banner).toContain('/_local/outbox');

    const first = await fetch(`http://127.0.0.1:${port}/feed.xml`);
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toContain('application/rss+xml');
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^"[0-9a-f]{32}"$/);
    expect(first.headers.get('last-modified')).toBeTruthy();
    expect(await first.text()).toContain('<rss');

    const second = await fetch(`http://127.0.0.1:${port}/feed.xml`, {
      headers: { 'If-None-Match': etag as string },
    });
    expect(second.status).toBe(304);
    expect(await second.text()).toBe('');

    let output = '';
    child.stdout?.on('data', (c: Buffer) => {
      output += c.toString();
    });
    const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
      child?.once('exit', (code, signal) => resolve({ code, signal })),
    );
    process.kill(-(child.pid as number), 'SIGINT');
    const { code, signal } = await exited;
    // npm re-raises the SIGINT it forwarded once its script has finished; Gazette itself exits 0.
    expect(code === 0 || signal === 'SIGINT').toBe(true);
    expect(output).toContain('stopped.');
    // Nothing left listening behind it.
    expect(await portIsFree(port)).toBe(true);
  }, 90_000);

  it('names the taken port instead of printing a stack trace', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    const state = await mkdtemp(join(tmpdir(), 'gazette-smoke-'));
    const run = spawn(process.execPath, ['bin/gazette.js', 'dev', '--port', String(port), '--state', state], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    run.stderr.on('data', (c: Buffer) => {
      err += c.toString();
    });
    const code = await new Promise<number | null>((resolve) => run.once('exit', resolve));
    blocker.close();
    expect(code).toBe(1);
    expect(err).toContain(`port ${port} on 127.0.0.1 is in use`);
    expect(err).not.toMatch(/\n\s+at /);
  }, 60_000);
});
