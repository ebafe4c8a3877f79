import path from 'node:path';

/** Whether `target` is `root` or below it, compared by path segments (a folder named `..x` is inside). */
export function isInside(root: string, target: string): boolean {
  const rel = path.relative(root, target);
  return rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel);
}
