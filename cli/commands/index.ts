import type { Command } from '../command.js';
import { buildCommand } from './build.js';
import { consoleCommand } from './console.js';
import { devCommand } from './dev.js';
import { digestCommand } from './digest.js';
import { editionsCommand } from './editions.js';
import { newCommand } from './new-post.js';
import { previewCommand } from './preview.js';
import { sendCommand } from './send.js';
import { subscribersCommand } from './subscribers.js';

/** Every `gazette` command, in the order `gazette --help` lists them. */
export const commands: readonly Command[] = [
  buildCommand,
  digestCommand,
  newCommand,
  devCommand,
  sendCommand,
  editionsCommand,
  previewCommand,
  subscribersCommand,
  consoleCommand,
];
