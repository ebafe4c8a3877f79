/**
 * Fakes of the programs the engine runs (pip, the runtime's CPython, strip), behind the port in
 * src/tools/tools.ts: the engine runs in-process, in milliseconds, on files these fakes write.
 * They fake the outside world only; every line of our own code runs for real.
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { FakeDist } from '../fixtures/packages.js';
import type { Platform } from '../../src/lambda/platform.js';
import type { ImportOutcome, ImportRequest, InstallRequest, Pip, PipResult, Strip, TargetPython, Tools } from '../../src/tools/tools.js';

const normalize = (name: string) => name.toLowerCase().replace(/[-_.]+/g, '-');
const moduleName = (name: string) => name.toLowerCase().replace(/[-_.]+/g, '_');

async function walk(dir: string, rel = ''): Promise<string[]> {
  const entries = await readdir(path.join(dir, rel), { withFileTypes: true }).catch(() => []);
  const nested = await Promise.all(
    entries.map((e) => (e.isDirectory() ? walk(dir, path.posix.join(rel, e.name)) : Promise.resolve([path.posix.join(rel, e.name)])))
  );
  return nested.flat().sort();
}

/** `name==version` or `name` lines, comments and blanks left out. */
async function requirementLines(file: string | undefined): Promise<Array<{ name: string; version?: string; line: string }>> {
  if (!file) return [];
  return (await readFile(file, 'utf8'))
    .split('\n')
    .map((l) => l.replace(/#.*/, '').trim())
    .filter(Boolean)
    .map((line) => {
      const [name = '', version] = line.split('==');
      return { name: normalize(name), version, line };
    });
}

const notFound = (line: string) =>
  `ERROR: Could not find a version that satisfies the requirement ${line} (from versions: none)\n` +
  `ERROR: No matching distribution found for ${line}\n`;

/** What one fake `pip install` was asked to do. */
export interface FakeInstall {
  targetDir: string;
  requirements: string[];
  constraints: string[];
}

/**
 * pip over an in-memory index: installs the requested releases (and their `requires`, latest release)
 * by writing their files and a dist-info with METADATA and RECORD, as `pip install --target` does.
 * A requirement the index lacks fails with pip's own words; a pin that contradicts a constraint fails
 * as pip's resolver does.
 */
export class FakePip implements Pip {
  readonly installs: FakeInstall[] = [];
  readonly wheels: string[] = [];

  constructor(private readonly index: readonly FakeDist[]) {}

  identity(): Promise<string> {
    return Promise.resolve('pip 99.0 (python 3.11)');
  }

  // Markers are judged by the real pip's parser (tested in test/integration); the fake has none.
  evaluateMarkers(): Promise<Array<boolean[] | string>> {
    return Promise.reject(new Error('the fake pip does not evaluate environment markers'));
  }

  cacheDir(): Promise<string | undefined> {
    return Promise.resolve(undefined);
  }

  configuredSources(): Promise<string[]> {
    return Promise.resolve([]);
  }

  async install(request: InstallRequest): Promise<PipResult> {
    const requirements = await requirementLines(request.requirementsFile);
    const constraints = await requirementLines(request.constraintsFile);
    this.installs.push({
      targetDir: request.targetDir,
      requirements: requirements.map((r) => r.line),
      constraints: constraints.map((c) => c.line)
    });
    const chosen = new Map<string, FakeDist>();
    const queue = [...requirements];
    for (let next = queue.shift(); next; next = queue.shift()) {
      const pinned = constraints.find((c) => c.name === next.name)?.version;
      if (pinned && next.version && pinned !== next.version) {
        return {
          ok: false,
          output:
            `ERROR: Cannot install ${next.line} because these package versions have conflicting dependencies.\n\n` +
            `The conflict is caused by:\n    The user requested ${next.line}\n    The user requested (constraint) ${next.name}==${pinned}\n\n`
        };
      }
      const wanted = next.version ?? pinned;
      const releases = this.index.filter((d) => normalize(d.name) === next.name && (!wanted || d.version === wanted));
      const dist = releases.at(-1);
      if (!dist) return { ok: false, output: notFound(next.line) };
      if (chosen.has(next.name)) continue;
      chosen.set(next.name, dist);
      queue.push(...(dist.requires ?? []).map((r) => ({ name: normalize(r.split(/[<>=]/)[0] ?? r), line: r })));
    }
    for (const dist of chosen.values()) await this.write(dist, request.targetDir);
    return { ok: true, output: `Successfully installed ${[...chosen.values()].map((d) => `${d.name}-${d.version}`).join(' ')}\n` };
  }

  wheel(requirement: string): Promise<PipResult> {
    this.wheels.push(requirement);
    return Promise.resolve({ ok: false, output: `ERROR: Failed building wheel for ${requirement}\n` });
  }

  explainNoMatch(_platform: Platform, requirement: string): Promise<string> {
    return Promise.resolve(
      `Skipping link: none of the wheel's tags (cp312-cp312-win_amd64) are compatible: https://x/${moduleName(requirement.split('=')[0] ?? '')}-9.0-cp312-cp312-win_amd64.whl\n`
    );
  }

  private async write(dist: FakeDist, targetDir: string): Promise<void> {
    const distInfo = `${moduleName(dist.name)}-${dist.version}.dist-info`;
    const files = [
      ...(dist.files ?? [{ path: `${moduleName(dist.name)}/__init__.py`, content: `__version__ = "${dist.version}"\n` }]),
      { path: `${distInfo}/METADATA`, content: `Metadata-Version: 2.1\nName: ${dist.name}\nVersion: ${dist.version}\n` },
      { path: `${distInfo}/WHEEL`, content: 'Wheel-Version: 1.0\nGenerator: fake\nRoot-Is-Purelib: true\nTag: py3-none-any\n' },
      { path: `${distInfo}/INSTALLER`, content: 'pip\n' }
    ];
    for (const file of files) {
      await mkdir(path.dirname(path.join(targetDir, file.path)), { recursive: true });
      await writeFile(path.join(targetDir, file.path), file.content);
    }
    const record = [...files.map((f) => `${f.path},,`), `${distInfo}/RECORD,,`].join('\n') + '\n';
    await writeFile(path.join(targetDir, distInfo, 'RECORD'), record);
  }
}

/** In a fake extension module: a file the loader needs its symbols for. */
export const NEEDS_SYMBOLS = 'NEEDS-SYMBOLS';
/** In a fake extension module: the symbols strip removes (everything from here on). */
export const SYMBOLS = '.symtab';
/** In a fake extension module: a file the loader rejects whatever is done to it. */
export const UNLOADABLE = 'UNLOADABLE';

/** strip that drops everything from `.symtab` on; false (and a damaged file) for a file holding STRIP-FAILS. */
export class FakeStrip implements Strip {
  readonly stripped: string[] = [];
  /** How many times strip ran (each run may take several files). */
  runs = 0;

  constructor(private readonly installed = true) {}

  version(): Promise<string | undefined> {
    return Promise.resolve(this.installed ? 'GNU strip (fake) 2.40' : undefined);
  }

  /** As strip with several files does: each processed, a failure on one leaves it damaged and fails the run. */
  async strip(files: readonly string[]): Promise<boolean> {
    this.runs++;
    let ok = true;
    for (const file of files) {
      const content = await readFile(file, 'utf8');
      if (content.includes('STRIP-FAILS')) {
        await writeFile(file, 'half-written');
        ok = false;
        continue;
      }
      this.stripped.push(file);
      const at = content.indexOf(SYMBOLS);
      if (at >= 0) await writeFile(file, content.slice(0, at));
    }
    return ok;
  }
}

const IMPORTS = /^\s*(?:from\s+([\w.]+)\s+import|import\s+([\w.]+))/gm;

/**
 * CPython as far as the engine asks of it: compileall (a .pyc holds the source path it was compiled
 * for and the source, so imports still resolve), the loader (a .so with NEEDS-SYMBOLS and no .symtab,
 * or with UNLOADABLE, fails), and imports resolved over sys.path by following `import` lines.
 */
export class FakePython implements TargetPython {
  readonly path: string;
  readonly machine: string;
  readonly magic = 'cb0d0d0a';
  compiled = 0;

  /** runsTarget false: an interpreter of the version on another CPU, as an x86_64 one for an arm64 build. */
  constructor(
    readonly version = '3.12.1',
    readonly runsTarget = true
  ) {
    this.path = `/fake/python${version}`;
    this.machine = runsTarget ? 'x86_64' : 'other-cpu';
  }

  async compile(siteDir: string, options: { sourceless: boolean; optimize: 0 | 2; deployedAt: string }): Promise<number> {
    this.compiled++;
    const tag = `cpython-${this.version.split('.').slice(0, 2).join('')}`;
    let count = 0;
    for (const rel of (await walk(siteDir)).filter((f) => f.endsWith('.py'))) {
      const source = path.join(siteDir, rel);
      const pyc = `fake-pyc -O${options.optimize} ${path.posix.join(options.deployedAt, rel)}\n${await readFile(source, 'utf8')}`;
      if (options.sourceless) {
        await writeFile(`${source}c`, pyc);
        await rm(source);
      } else {
        const cached = path.join(path.dirname(source), '__pycache__', `${path.basename(rel, '.py')}.${tag}.pyc`);
        await mkdir(path.dirname(cached), { recursive: true });
        await writeFile(cached, pyc);
      }
      count++;
    }
    return count;
  }

  async loadFailures(files: readonly string[]): Promise<Record<string, string>> {
    const failed: Record<string, string> = {};
    for (const file of files) {
      const content = await readFile(file, 'utf8');
      if (content.includes(UNLOADABLE)) failed[file] = `${file}: invalid ELF header`;
      else if (content.includes(NEEDS_SYMBOLS) && !content.includes(SYMBOLS)) failed[file] = `${file}: undefined symbol: PyInit_needed`;
    }
    return failed;
  }

  async importModules(request: ImportRequest): Promise<ImportOutcome> {
    const failures: ImportOutcome['failures'] = [];
    for (const name of [request.handler, ...request.modules]) {
      const error = await this.importModule(name, request.sysPath, new Set());
      if (error) failures.push({ module: name, error });
    }
    for (const name of request.distributions) {
      if (!(await this.hasMetadata(name, request.sysPath)))
        failures.push({ module: `metadata of ${name}`, error: `PackageNotFoundError('${name}')` });
    }
    return { failures, handlerImportMs: 1.4 };
  }

  /** The error an import raises, or undefined; imports in the module's source are followed. */
  private async importModule(name: string, sysPath: readonly string[], seen: Set<string>): Promise<string | undefined> {
    if (seen.has(name)) return undefined;
    seen.add(name);
    const parts = name.split('.');
    for (let i = 1; i <= parts.length; i++) {
      const prefix = parts.slice(0, i).join('.');
      const file = this.find(prefix, sysPath);
      if (!file) return `ModuleNotFoundError: No module named '${prefix}'`;
      const content = await readFile(file, 'utf8');
      if (file.endsWith('.so')) {
        if (content.includes(UNLOADABLE)) return `ImportError: ${file}: invalid ELF header`;
        continue;
      }
      for (const match of content.matchAll(IMPORTS)) {
        const error = await this.importModule(match[1] ?? match[2] ?? '', sysPath, seen);
        if (error) return error;
      }
    }
    return undefined;
  }

  private find(module: string, sysPath: readonly string[]): string | undefined {
    const rel = module.replaceAll('.', '/');
    for (const dir of sysPath) {
      for (const candidate of [`${rel}/__init__.py`, `${rel}/__init__.pyc`, `${rel}.py`, `${rel}.pyc`, `${rel}.so`]) {
        if (existsSync(path.join(dir, candidate))) return path.join(dir, candidate);
      }
    }
    return undefined;
  }

  private async hasMetadata(name: string, sysPath: readonly string[]): Promise<boolean> {
    for (const dir of sysPath) {
      for (const entry of await readdir(dir).catch(() => [] as string[])) {
        if (!entry.endsWith('.dist-info')) continue;
        const metadata = await readFile(path.join(dir, entry, 'METADATA'), 'utf8').catch(() => '');
        if (normalize(/^Name: (.+)$/m.exec(metadata)?.[1] ?? '') === normalize(name)) return true;
      }
    }
    return false;
  }
}

export interface FakeToolsOptions {
  index?: readonly FakeDist[];
  /** The interpreters "on this machine", by Python version ("3.12"); none: no bytecode, no strip, no verification. */
  pythons?: readonly FakePython[];
  stripInstalled?: boolean;
}

/** The three fakes behind the port, with what they were asked to do. */
export interface FakeTools extends Tools {
  pipFake: FakePip;
  stripFake: FakeStrip;
}

export function fakeTools(options: FakeToolsOptions = {}): FakeTools {
  const pipFake = new FakePip(options.index ?? []);
  const stripFake = new FakeStrip(options.stripInstalled ?? true);
  const pythons = options.pythons ?? [new FakePython()];
  return {
    pipFake,
    stripFake,
    pip: () => pipFake,
    findPython: (platform) => Promise.resolve(pythons.find((p) => p.version.startsWith(`${platform.pythonVersion}.`))),
    strip: () => stripFake,
    // Makefiles run for real (test/integration/sam-layouts); the in-process fakes build none.
    make: { run: () => Promise.reject(new Error('the fake tools do not run make')) },
    // uv runs for real (test/integration/installers); in-process builds install with the fake pip.
    uv: () => Promise.resolve(undefined)
  };
}
