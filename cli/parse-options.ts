import { type ParseArgsConfig, parseArgs } from 'node:util';
import { UsageError } from './command.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/** node:util parseArgs, with its errors turned into UsageErrors naming the command. */
export function parseOptions<T extends Options>(
  command: string,
  args: string[],
  options: T,
  allowPositionals = false,
): { values: Record<string, string | boolean | string[] | undefined>; positionals: string[] } {
  try {
    const { values, positionals } = parseArgs({
      args,
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      allowPositionals,
      strict: true,
    });
    return { values: values as Record<string, string | boolean | string[] | undefined>, positionals };
  } catch (error) {
    throw new UsageError((error as Error).message.replace(/^TypeError \[[A-Z_]+\]: /, ''), command);
  }
}

/** A string option, or the default. */
export function stringOption(values: Record<string, unknown>, name: string, fallback: string): string;
export function stringOption(values: Record<string, unknown>, name: string): string | undefined;
export function stringOption(
  values: Record<string, unknown>,
  name: string,
  fallback?: string,
): string | undefined {
  const value = values[name];
  return typeof value === 'string' ? value : fallback;
}
