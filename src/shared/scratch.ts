import { mkdir, mkdtemp } from 'node:fs/promises';
import path from 'node:path';
import { removedAfter } from './interrupt.js';

/** Runs `use` with a fresh folder under `parent` (created if missing), removed afterwards whatever happens (a signal too). */
export async function withScratchDir<T>(parent: string, prefix: string, use: (dir: string) => Promise<T>): Promise<T> {
  await mkdir(parent, { recursive: true });
  const dir = await mkdtemp(path.join(parent, prefix));
  return removedAfter(dir, () => use(dir));
}
