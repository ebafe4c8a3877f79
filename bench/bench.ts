/**
 * Benchmark: builds the bundled example (the seed's three layers and three functions, python3.12
 * x86_64, pinned) naive and slimmed in each bytecode mode, and prints tables: sizes per layer and
 * function, cold import time per bytecode mode, build time, zip time and size against Info-ZIP, and the
 * example built for arm64 (bench/arm64.ts): its sizes and which checks ran.
 *
 * Then, side by side with `sam build` on the same template (cold and warm, runs interleaved, median of 3).
 *
 *   npm run bench                  (about 25 minutes on 2 cores; needs the package index and python3.12)
 *   npm run bench -- side-by-side  (only the comparison with `sam build`, about 15 minutes)
 */
import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { listTree, totalSize } from '../src/artifact/file-tree.js';
import { LAMBDA_LIMITS } from '../src/lambda/limits.js';
import { platformFor } from '../src/lambda/platform.js';
import { findTargetPython } from '../src/tools/python-finder.js';
import type { Report } from '../src/report/report.js';
import { writeZip } from '../src/artifact/zip.js';
import { phaseTable, totalLine } from '../src/report/render-table.js';
import { arm64Section } from './arm64.js';
import { MB, table } from './format.js';

const execFileP = promisify(execFile);
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CLI = path.join(ROOT, 'dist/cli/index.js');
const RUNS = 7;
const IMPORT = 'import pandas, sklearn.ensemble, scipy.stats';
const ML_STACK = ['CoreDataScienceLayer', 'MLLibrariesLayer', 'AWSUtilitiesLayer'];

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const started = process.hrtime.bigint();
  const result = await work();
  return [result, Number(process.hrtime.bigint() - started) / 1e9];
}

async function build(base: string, name: string, flags: string[]): Promise<{ out: string; report: Report; seconds: number }> {
  const out = path.join(base, name);
  const [, seconds] = await timed(() =>
    execFileP(
      process.execPath,
      [CLI, 'build', '--template', 'example/template.yaml', '--out', out, '--cache-dir', path.join(base, `${name}-cache`), ...flags],
      {
        cwd: ROOT,
        maxBuffer: 64 * 1024 * 1024
      }
    ).catch((error: { code?: number }) => {
      // Exit 1 is expected for the naive build: it does not fit.
      if (error.code !== 1) throw error;
    })
  );
  return { out, report: JSON.parse(await readFile(path.join(out, 'report.json'), 'utf8')) as Report, seconds };
}

/** What plain `pip install --target` gives each layer (with pip's default bytecode, by the runtime's Python). */
async function naivePip(base: string, python: string): Promise<Record<string, number>> {
  const sizes: Record<string, number> = {};
  for (const [layer, folder] of [
    ['CoreDataScienceLayer', 'core-data-science'],
    ['MLLibrariesLayer', 'ml-libraries'],
    ['AWSUtilitiesLayer', 'aws-utilities']
  ] as const) {
    const target = path.join(base, 'pip', layer);
    await execFileP(
      python,
      [
        '-m',
        'pip',
        'install',
        '-q',
        '--target',
        target,
        '--only-binary=:all:',
        '-r',
        path.join(ROOT, 'layers', folder, 'requirements.txt')
      ],
      {
        maxBuffer: 64 * 1024 * 1024
      }
    );
    sizes[layer] = totalSize(await listTree(target));
  }
  return sizes;
}

/** /opt as Lambda lays out the ML functions' stack. */
async function mergedOpt(out: string, base: string, name: string): Promise<string> {
  const opt = path.join(base, `opt-${name}`);
  for (const layer of ML_STACK) await cp(path.join(out, 'layers', layer), opt, { recursive: true, verbatimSymlinks: true, force: true });
  return path.join(opt, 'python');
}

/** Median seconds to import pandas + scikit-learn + scipy.stats in a fresh interpreter that cannot write bytecode. */
async function coldImport(python: string, site: string): Promise<number> {
  const script = `import sys, time; sys.path[:0] = [${JSON.stringify(site)}]; t = time.perf_counter(); ${IMPORT}; print(time.perf_counter() - t)`;
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) times.push(Number((await execFileP(python, ['-I', '-S', '-B', '-c', script])).stdout.trim()));
  return median(times);
}

async function zipComparison(
  base: string,
  root: string
): Promise<{ ours: number; ourBytes: number; info: number; infoBytes: number; identical: boolean }> {
  const entries = await listTree(root);
  const ours: number[] = [];
  const hashes = new Set<string>();
  let ourBytes = 0;
  for (let i = 0; i < 3; i++) {
    const file = path.join(base, `ours-${i}.zip`);
    const [result, seconds] = await timed(() => writeZip(root, entries, file));
    ours.push(seconds);
    hashes.add(result.sha256);
    ourBytes = result.zippedBytes;
  }
  const info: number[] = [];
  let infoBytes = 0;
  for (let i = 0; i < 3; i++) {
    const file = path.join(base, `info-${i}.zip`);
    await rm(file, { force: true });
    const [, seconds] = await timed(() => execFileP('zip', ['-q', '-6', '-r', '-X', '-y', file, '.'], { cwd: root }));
    info.push(seconds);
    infoBytes = (await stat(file)).size;
  }
  return { ours: median(ours), ourBytes, info: median(info), infoBytes, identical: hashes.size === 1 };
}

async function main(): Promise<void> {
  const platform = platformFor('python3.12', 'x86_64');
  const python = (await findTargetPython(platform, {}, process.env))?.path;
  if (!python) throw new Error('the benchmark needs a CPython 3.12 (see "pythons" in the README)');
  const base = await mkdtemp(path.join(os.tmpdir(), 'lambda-layers-bench-'));
  try {
    if (process.argv[2] !== 'side-by-side') {
      await sizesAndTimes(base, python);
      console.log(`\n${await arm64Section(ROOT, CLI, base)}`);
    }
    console.log(await sideBySide(base, python));
  } finally {
    await rm(base, { recursive: true, force: true });
  }
}

/** Sizes, cold imports, build times and zip times of the example, naive and slimmed. */
async function sizesAndTimes(base: string, python: string): Promise<void> {
  const pip = await naivePip(base, python);
  const naive = await build(base, 'naive', ['--no-slim']);
  const modes = ['bytecode', 'optimized', 'source+bytecode', 'source'] as const;
  const slim: Record<string, Awaited<ReturnType<typeof build>>> = {};
  for (const mode of modes) slim[mode] = await build(base, mode, ['--bytecode', mode]);
  const chosen = slim['bytecode']!;

  const layerRows = chosen.report.layers.map((l) => {
    const before = naive.report.layers.find((n) => n.name === l.name);
    return [
      l.name,
      MB(pip[l.name] ?? 0),
      MB(before?.unzippedBytes ?? 0),
      MB(l.unzippedBytes),
      MB(before?.zippedBytes ?? 0),
      MB(l.zippedBytes)
    ];
  });
  const coreMl = ['CoreDataScienceLayer', 'MLLibrariesLayer'];
  const sum = (report: Report) => report.layers.filter((l) => coreMl.includes(l.name)).reduce((s, l) => s + l.unzippedBytes, 0);
  const pipCoreMl = coreMl.reduce((s, l) => s + (pip[l] ?? 0), 0);
  const share = (report: Report) => `${MB(sum(report))} (${((100 * sum(report)) / pipCoreMl).toFixed(1)}% of pip)`;
  layerRows.push(['core + ML', MB(pipCoreMl), MB(sum(naive.report)), share(chosen.report), '', '']);
  layerRows.push(['core + ML, optimized bytecode', '', '', share(slim['optimized']!.report), '', '']);

  const functionRows = chosen.report.functions.map((f) => {
    const before = naive.report.functions.find((n) => n.name === f.name);
    const pct = (bytes: number) => `${((100 * bytes) / LAMBDA_LIMITS.unzippedBytes).toFixed(1)}%`;
    return [
      f.name,
      MB(before?.totalUnzippedBytes ?? 0),
      pct(before?.totalUnzippedBytes ?? 0),
      MB(f.totalUnzippedBytes),
      pct(f.totalUnzippedBytes),
      f.verification.status
    ];
  });

  const importRows: (string | number)[][] = [];
  for (const mode of modes) {
    const site = await mergedOpt(slim[mode]!.out, base, mode);
    importRows.push([
      mode,
      MB(totalSize(await listTree(site))),
      (await coldImport(python, site)).toFixed(2),
      slim[mode]!.seconds.toFixed(0)
    ]);
  }
  importRows.push([
    'naive (no bytecode)',
    MB(totalSize(await listTree(await mergedOpt(naive.out, base, 'naive')))),
    (await coldImport(python, path.join(base, 'opt-naive/python'))).toFixed(2),
    naive.seconds.toFixed(0)
  ]);

  const zipRows: (string | number)[][] = [];
  for (const layer of chosen.report.layers) {
    const z = await zipComparison(base, path.join(chosen.out, 'layers', layer.name));
    zipRows.push([
      layer.name,
      z.ours.toFixed(2),
      z.info.toFixed(2),
      MB(z.ourBytes),
      MB(z.infoBytes),
      `${((100 * (z.ourBytes - z.infoBytes)) / z.infoBytes).toFixed(1)}%`,
      z.identical ? 'yes' : 'NO'
    ]);
  }

  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  console.log(`lambda-layers benchmark: example app, python3.12 x86_64, ${os.cpus().length} x ${cpu}, ${python}\n`);
  console.log('Layers (MB = 10^6 bytes, unzipped unless noted)\n');
  console.log(table(['layer', 'plain pip --target', 'naive build', 'slimmed', 'naive zip', 'slimmed zip'], layerRows));
  console.log(`\nFunctions (code + all layers; limit ${LAMBDA_LIMITS.unzippedBytes.toLocaleString('en-US')} bytes)\n`);
  console.log(table(['function', 'naive MB', 'naive % of limit', 'slimmed MB', 'slimmed % of limit', 'verified'], functionRows));
  console.log(`\nCold import of \`${IMPORT}\` on the ML stack, read-only (median of ${RUNS} fresh interpreters, warm page cache)\n`);
  console.log(table(['bytecode mode', 'stack MB', 'import s', 'build s (empty cache)'], importRows));
  console.log('\nZipping each slimmed layer: this tool (zlib level 6) against Info-ZIP `zip -6 -r -X -y` (median of 3)\n');
  console.log(table(['layer', 'ours s', 'zip -6 s', 'ours MB', 'zip -6 MB', 'size diff', 'identical across runs'], zipRows));
  const phases = phaseTable(chosen.report);
  if (phases) {
    console.log('\nTime per phase of the default build (empty build cache), from its report\n');
    console.log(table(phases.header, phases.rows));
    console.log(`\n${totalLine(chosen.report) ?? ''}`);
  }
}

const SIDE_BY_SIDE_RUNS = 3;

/** Runs a program to completion and returns its wall-clock seconds; a failure throws with the end of its output. */
async function timedRun(program: string, args: string[], env: NodeJS.ProcessEnv, cwd = ROOT): Promise<number> {
  const [, seconds] = await timed(() =>
    execFileP(program, args, { cwd, env, maxBuffer: 64 * 1024 * 1024 }).catch((error: { stdout?: string; stderr?: string }) => {
      const output = `${error.stdout ?? ''}${error.stderr ?? ''}`.trim().split('\n').slice(-5).join(' ');
      throw new Error(`${path.basename(program)} ${args.slice(0, 2).join(' ')} failed: ${output}`);
    })
  );
  return seconds;
}

/** `name` on PATH, else installed with pip from the package index into the bench's throwaway virtualenv. */
async function programOrInstall(name: string, project: string, venv: string, python: string): Promise<string> {
  const found = await execFileP('sh', ['-c', `command -v ${name}`]).then(
    (r) => r.stdout.trim(),
    () => ''
  );
  if (found) return found;
  if (!(await stat(venv).catch(() => undefined))) await execFileP(python, ['-m', 'venv', venv]);
  await execFileP(path.join(venv, 'bin/python'), ['-m', 'pip', 'install', '--quiet', project], { maxBuffer: 64 * 1024 * 1024 });
  return path.join(venv, 'bin', name);
}

const secondsCell = (values: number[]) =>
  `${median(values).toFixed(1)} (${Math.min(...values).toFixed(1)}-${Math.max(...values).toFixed(1)})`;
const ratioCell = (ours: number[], sam: number[]) => `${(median(ours) / median(sam)).toFixed(2)}x`;

/**
 * `sam build` against this tool on the example, cold and warm, runs interleaved. Cold: empty caches for both,
 * pip's (and uv's) included: every run gets a fresh XDG_CACHE_HOME, where pip, uv and this tool keep their caches,
 * and a fresh build folder; `sam build` without --cached. Warm: `sam build --cached` against this tool's cache,
 * both primed by one unmeasured run, a fresh output folder each time. `sam build` only installs (no slimming,
 * no checks, no zips); this tool does all of it, as a CI job would run it.
 */
async function sideBySide(base: string, python: string): Promise<string> {
  const venv = path.join(base, 'venv');
  let sam: string;
  let uv: string | undefined;
  try {
    sam = await programOrInstall('sam', 'aws-sam-cli', venv, python);
  } catch (error) {
    return `\nSide by side with \`sam build\`: skipped, aws-sam-cli could not be installed (${String(error).split('\n')[0]})`;
  }
  try {
    uv = await programOrInstall('uv', 'uv', venv, python);
  } catch {
    uv = undefined;
  }
  // sam build looks for python3.12 on PATH; uv, for --installer uv, too.
  const PATH = [path.dirname(python), ...(uv ? [path.dirname(uv)] : []), process.env['PATH'] ?? ''].join(':');
  const env = (xdg: string): NodeJS.ProcessEnv => ({ ...process.env, PATH, XDG_CACHE_HOME: xdg, SAM_CLI_TELEMETRY: '0' });
  const fresh = (name: string) => mkdtemp(path.join(base, `${name}-`));
  // In the bench's folder: sam build --cached keeps dependencies in .aws-sam/deps under the working directory.
  const samBuild = (buildDir: string, xdg: string, cached: string[]) =>
    timedRun(
      sam,
      ['build', '--template-file', path.join(ROOT, 'example/template.yaml'), '--build-dir', buildDir, ...cached],
      env(xdg),
      base
    );
  const ours = (installer: string, xdg: string) => async () =>
    timedRun(
      process.execPath,
      [CLI, 'build', '--template', 'example/template.yaml', '--out', await fresh('out'), '--installer', installer],
      env(xdg)
    );
  const installers = uv ? ['pip', 'uv'] : ['pip'];

  const cold: Record<string, number[]> = { sam: [], pip: [], uv: [] };
  const warmHomes: Record<string, string> = {};
  for (let i = 0; i < SIDE_BY_SIDE_RUNS; i++) {
    cold['sam']!.push(await samBuild(await fresh('sam-build'), await fresh('xdg'), []));
    for (const installer of installers) {
      const xdg = await fresh('xdg');
      cold[installer]!.push(await ours(installer, xdg)());
      warmHomes[installer] = xdg;
    }
  }
  const samCache = { dir: await fresh('sam-cache'), build: await fresh('sam-warm'), xdg: await fresh('xdg') };
  const samWarm = () => samBuild(samCache.build, samCache.xdg, ['--cached', '--cache-dir', samCache.dir]);
  await samWarm();
  const warm: Record<string, number[]> = { sam: [], pip: [], uv: [] };
  for (let i = 0; i < SIDE_BY_SIDE_RUNS; i++) {
    warm['sam']!.push(await samWarm());
    for (const installer of installers) warm[installer]!.push(await ours(installer, warmHomes[installer]!)());
  }

  const header = ['', '`sam build` s', ...installers.flatMap((n) => [`lambda-layers (${n}) s`, 'ratio'])];
  const row = (label: string, times: Record<string, number[]>) => [
    label,
    secondsCell(times['sam']!),
    ...installers.flatMap((n) => [secondsCell(times[n]!), ratioCell(times[n]!, times['sam']!)])
  ];
  const samVersion = (await execFileP(sam, ['--version'])).stdout.trim();
  const uvNote = uv ? `, ${(await execFileP(uv, ['--version'])).stdout.trim()}` : ', uv not available: its column is left out';
  return [
    `\nSide by side with \`sam build\` on example/template.yaml (${samVersion}${uvNote}): median (min-max) of ${SIDE_BY_SIDE_RUNS} interleaved runs, ratio = ours / sam\n`,
    table(header, [row('cold: empty caches (pip, uv and build)', cold), row('warm: `sam build --cached` / our build cache', warm)])
  ].join('\n');
}

await main();
