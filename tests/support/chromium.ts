import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { chromium } from 'playwright-core';

/** Where the browser is: `GAZETTE_CHROMIUM`, else Debian's /usr/bin/chromium. */
export function chromiumPath(): string | undefined {
  const candidates = [process.env.GAZETTE_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser'];
  return candidates.find((p): p is string => !!p && existsSync(p));
}

/**
 * The reason browser tests cannot run here, or undefined when they can. Tests use it with
 * `describe.skipIf(...)` after printing it, so a skip always says why.
 */
export function browserSkipReason(): string | undefined {
  if (chromiumPath()) return undefined;
  const reason =
    'no Chromium found (set GAZETTE_CHROMIUM or apt-get install chromium); browser tests skipped';
  console.warn(reason);
  return reason;
}

const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Launches headless Chromium with flags that keep it off the network. */
export async function launchChromium(): Promise<Browser> {
  const executablePath = chromiumPath();
  if (!executablePath)
    throw new Error('no Chromium found (set GAZETTE_CHROMIUM or apt-get install chromium)');
  return chromium.launch({ executablePath, args: FLAGS, headless: true });
}

/** True when a command exists on PATH. */
export function hasCommand(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

/** The reason an external checker cannot run, printed, or undefined when it can. */
export function toolSkipReason(command: string, pkg: string): string | undefined {
  if (hasCommand(command)) return undefined;
  const reason = `${command} not installed (apt-get install ${pkg}); its checks skipped`;
  console.warn(reason);
  return reason;
}
