import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { filesMatching } from '../artifact/file-tree.js';
import { InputError, type SourceLocation } from '../shared/errors.js';

export interface EventPayload {
  body: Buffer;
  /** How messages name it: the file relative to the working directory, "stdin", or "an empty event". */
  label: string;
}

async function readStdin(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** An event file (or `-` for stdin; none: `{}`), which must be JSON as Lambda's Invoke requires. */
export async function readEvent(file: string | undefined, workingDirectory: string): Promise<EventPayload> {
  if (file === undefined) return { body: Buffer.from('{}'), label: 'an empty event' };
  const absolute = file === '-' ? undefined : path.resolve(workingDirectory, file);
  const label = absolute ? path.relative(workingDirectory, absolute).split(path.sep).join('/') : 'stdin';
  const body = absolute
    ? await readFile(absolute).catch(() => {
        throw new InputError('event file not found', { file: absolute });
      })
    : await readStdin();
  try {
    JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw new InputError(`the event is not JSON (Lambda's Invoke takes a JSON payload): ${(error as Error).message}`, {
      file: absolute ?? 'stdin'
    });
  }
  return { body, label };
}

/** One event a build runs a function with. */
export interface EventFile {
  file: string;
  /** Relative to the working directory, as the report names it. */
  label: string;
  expectError: boolean;
  /** Read and checked to be JSON before anything is built: a bad event file is bad input. */
  body: Buffer;
}

export interface FunctionEvents {
  events: EventFile[];
  /** Where they were looked for, for "no events" in the report. */
  lookedIn: string;
}

/** The file names of the events/ convention: `<Name>.json`, `<Name>-<anything>.json`, `<Name>.<anything>.json`. */
export function isConventionalEvent(fileName: string, names: readonly string[]): boolean {
  return names.some(
    (name) =>
      fileName === `${name}.json` || ((fileName.startsWith(`${name}-`) || fileName.startsWith(`${name}.`)) && fileName.endsWith('.json'))
  );
}

/**
 * A function's events: the config file's `events.<LogicalId>` when it has one (each path or glob must match a file),
 * else by convention the JSON files in the `events/` folder beside the template named after the function's logical ID
 * or its code folder (the example's `events/data_validation.json` for CodeUri functions/data_validation/).
 */
export async function eventsFor(
  fn: { name: string; codeDir: string },
  configured: Readonly<Record<string, ReadonlyArray<{ pattern: string; expectError: boolean; where?: SourceLocation }>>> | undefined,
  templateDir: string,
  workingDirectory: string,
  configFile: string | undefined
): Promise<FunctionEvents> {
  // `where`: the config file's entry that matched the file.
  const label = (file: string, where?: SourceLocation) => {
    const relative = path.relative(workingDirectory, file).split(path.sep).join('/');
    // The report names events on one line.
    if (/[\p{Cc}\u2028\u2029]/u.test(relative))
      throw new InputError(`event file ${JSON.stringify(relative)}: a name with control characters`, where);
    return relative;
  };
  const specs = configured?.[fn.name];
  if (specs) {
    const events: EventFile[] = [];
    for (const spec of specs) {
      const where = spec.where ?? (configFile ? { file: configFile } : undefined);
      const files = (await filesMatching(spec.pattern, workingDirectory)).filter((file) => existsSync(file));
      if (!files.length) throw new InputError(`events.${fn.name}: "${spec.pattern}" matches no file`, where);
      for (const file of files)
        events.push({
          file,
          label: label(file, where),
          expectError: spec.expectError,
          body: (await readEvent(file, workingDirectory)).body
        });
    }
    return { events, lookedIn: `events.${fn.name} of the config file` };
  }
  const folder = path.join(templateDir, 'events');
  const names = [...new Set([fn.name.split('/').pop()!, path.basename(fn.codeDir)])];
  const files = (await readdir(folder).catch(() => [] as string[])).filter((name) => isConventionalEvent(name, names)).sort();
  const events: EventFile[] = [];
  for (const name of files) {
    const file = path.join(folder, name);
    events.push({ file, label: label(file), expectError: false, body: (await readEvent(file, workingDirectory)).body });
  }
  return {
    events,
    lookedIn: `${label(folder)}/{${names.join(',')}}[-.*].json`
  };
}
