import type { Command } from '../command.js';
import { buildCommand } from './build.js';
import { devCommand } from './dev.js';
import { digestCommand } from './digest.js';
import { newCommand } from './new-post.js';

/** Every `gazette` command, in the order `gazette --help` lists them. */
export const commands: readonly Command[] = [buildCommand, digestCommand, newCommand, devCommand];
