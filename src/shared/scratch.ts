import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';

/** Runs `use` with a fresh folder under `parent` (created if missing), removed afterwards whatever happens. */
export async function withScratchDir<T>(parent: string, prefix: string, use: (dir: string) => Promise<T>): Promise<T> {
  await mkdir(parent, { recursive: true });
  const dir = await mkdtemp(path.join(parent, prefix));
  try {
    return await use(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
