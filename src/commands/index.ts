import { build } from './build.js';
import { check } from './check.js';
import type { Command } from './command.js';
import { comment } from './comment.js';
import { invoke } from './invoke.js';
import { merge } from './merge.js';
import { publish } from './publish.js';
import { rollback } from './rollback.js';

/** Every command, by the name the command input and the CLI use. */
export const COMMANDS: Readonly<Record<string, Command>> = { build, check, publish, rollback, merge, comment, invoke };

export function commandNamed(name: string): Command | undefined {
  return Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
}
