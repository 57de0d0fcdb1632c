import type { Command } from '../command.js';

/** A command as `gazette --help` lists it; its module (and its dependencies) load only when it runs. */
export interface CommandEntry {
  name: string;
  summary: string;
  load(): Promise<Command>;
}

/**
 * Every `gazette` command, in the order `gazette --help` lists them. Loading is lazy: `gazette build`
 * does not pay for MJML, the emulators or the AWS SDK that other commands use.
 */
export const commands: readonly CommandEntry[] = [
  {
    name: 'build',
    summary: 'build the archive pages and feeds into a folder',
    load: async () => (await import('./build.js')).buildCommand,
  },
  {
    name: 'digest',
    summary: 'write a digest edition (HTML, text, .eml) for a sample recipient',
    load: async () => (await import('./digest.js')).digestCommand,
  },
  {
    name: 'new',
    summary: "scaffold a new post with today's date",
    load: async () => (await import('./new-post.js')).newCommand,
  },
  {
    name: 'dev',
    summary: 'run Gazette locally on embedded AWS emulators (npm start)',
    load: async () => (await import('./dev.js')).devCommand,
  },
  {
    name: 'send',
    summary: 'send an edition now (or a test, or a dry run), and follow its progress',
    load: async () => (await import('./send.js')).sendCommand,
  },
  {
    name: 'editions',
    summary: 'list editions, or show, follow, pause or resume one',
    load: async () => (await import('./editions.js')).editionsCommand,
  },
  {
    name: 'preview',
    summary: 'write the edition that would go now (HTML, text, and screenshots)',
    load: async () => (await import('./preview.js')).previewCommand,
  },
  {
    name: 'subscribers',
    summary: 'import, export, count or find subscribers',
    load: async () => (await import('./subscribers.js')).subscribersCommand,
  },
  {
    name: 'console',
    summary: "open the editors' console, locally or of a deployed stage",
    load: async () => (await import('./console.js')).consoleCommand,
  },
];
