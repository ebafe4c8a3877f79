import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { InputError } from '../shared/errors.js';

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
