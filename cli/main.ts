import { readFileSync } from 'node:fs';
import { ContentDirError } from '../adapters/fs/read-content-dir.js';
import { ConfigError, ContentError, TemplateError } from '../core/errors.js';
import { type CliIo, type Command, UsageError } from './command.js';
import { commands } from './commands/index.js';

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

function overview(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'Usage: gazette <command> [options]',
    '',
    'Gazette publishes Markdown posts as a web archive, RSS/Atom/JSON feeds and email editions.',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Run `gazette <command> --help` for the options of a command.',
  ].join('\n');
}

function defaultIo(): CliIo {
  return {
    stdout: (line) => process.stdout.write(`${line}\n`),
    stderr: (line) => process.stderr.write(`${line}\n`),
    cwd: process.cwd(),
    now: () => new Date(),
    env: process.env,
    interrupted: new Promise((resolve) => {
      process.once('SIGINT', () => resolve());
      process.once('SIGTERM', () => resolve());
    }),
    isTTY: process.stdout.isTTY === true,
    write: (text) => process.stdout.write(text),
  };
}

/**
 * Runs one command and returns its exit code: 0 ok, 1 content or runtime error, 2 usage error.
 * Every expected failure is printed as a sentence, never as a stack trace.
 */
export async function main(argv: string[], io: CliIo = defaultIo()): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    const topic = name === 'help' ? commands.find((c) => c.name === rest[0]) : undefined;
    io.stdout(topic ? (await topic.load()).help : overview());
    return 0;
  }
  if (name === '--version' || name === '-v') {
    io.stdout(`gazette ${version()}`);
    return 0;
  }
  const entry = commands.find((c) => c.name === name);
  if (!entry) {
    io.stderr(`gazette: unknown command '${name}'\n\n${overview()}`);
    return 2;
  }
  const command: Command = await entry.load();
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(command.help);
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    return report(error, command, io);
  }
}

function report(error: unknown, command: Command, io: CliIo): number {
  if (error instanceof UsageError) {
    io.stderr(`gazette ${command.name}: ${error.message}\nRun \`gazette ${command.name} --help\` for usage.`);
    return 2;
  }
  if (error instanceof ContentError) {
    const n = error.problems.length;
    io.stderr(`${n} problem${n === 1 ? '' : 's'} in the content; nothing was written:`);
    io.stderr(error.message);
    return 1;
  }
  if (error instanceof ContentDirError || error instanceof TemplateError || error instanceof ConfigError) {
    io.stderr(`gazette ${command.name}: ${error.message}`);
    return 1;
  }
  if (error instanceof Error && 'userMessage' in error && typeof error.userMessage === 'string') {
    io.stderr(`gazette ${command.name}: ${error.userMessage}`);
    return 1;
  }
  io.stderr(
    `gazette ${command.name}: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
  );
  return 1;
}
