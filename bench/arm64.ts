/**
 * The example built for arm64 (Graviton): a copy of example/ and layers/ with every x86_64 made arm64, built
 * with slimming on. Prints sizes, bytecode, stripping and which checks ran per function: on an x86_64 machine
 * without an aarch64 interpreter, the ELF checks only.
 */
import { execFile } from 'node:child_process';
import { cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Report } from '../src/report/report.js';
import { MB, table } from './format.js';

const execFileP = promisify(execFile);

/** Builds the arm64 copy of the example under `base`; returns the section to print. */
export async function arm64Section(root: string, cli: string, base: string): Promise<string> {
  const app = path.join(base, 'arm64-app');
  await mkdir(app, { recursive: true });
  await cp(path.join(root, 'example'), path.join(app, 'example'), { recursive: true });
  await cp(path.join(root, 'layers'), path.join(app, 'layers'), { recursive: true });
  const template = path.join(app, 'example/template.yaml');
  await writeFile(template, (await readFile(template, 'utf8')).replaceAll('x86_64', 'arm64'));
  const out = path.join(base, 'arm64');
  const started = process.hrtime.bigint();
  await execFileP(
    process.execPath,
    [cli, 'build', '--template', 'example/template.yaml', '--out', out, '--cache-dir', path.join(base, 'arm64-cache')],
    { cwd: app, maxBuffer: 64 * 1024 * 1024 }
  ).catch((error: { code?: number }) => {
    // Exit 1 is a failed check: the report says which, and the table shows it.
    if (error.code !== 1) throw error;
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const report = JSON.parse(await readFile(path.join(out, 'report.json'), 'utf8')) as Report;
  const layerRows = report.layers.map((l) => [
    l.name,
    MB(l.slimming.beforeBytes),
    MB(l.unzippedBytes),
    MB(l.zippedBytes),
    `${l.slimming.bytecode.files}${l.slimming.bytecode.magic ? ` (magic ${l.slimming.bytecode.magic})` : ''}`,
    l.slimming.strip.skipped
      ? `skipped: ${l.slimming.strip.skipped}`
      : `${l.slimming.strip.files} files, ${MB(l.slimming.strip.bytesSaved)} MB; ${l.slimming.strip.restored.length} kept (stripping changed what the loader maps)`
  ]);
  const functionRows = report.functions.map((f) => [
    f.name,
    MB(f.totalUnzippedBytes),
    f.verification.status,
    f.verification.level ?? '',
    `${f.verification.elf?.files ?? 0} .so, ${f.verification.elf?.problems.length ?? 0} problems`
  ]);
  const interpreter = report.layers.find((l) => l.slimming.bytecode.interpreter)?.slimming.bytecode.interpreter ?? 'none';
  return [
    `Example for arm64 (python3.12 aarch64 wheels; built in ${seconds.toFixed(0)} s; bytecode by ${interpreter})\n`,
    table(['layer', 'installed MB', 'slimmed MB', 'zip MB', '.pyc', 'stripped'], layerRows),
    '',
    table(['function', 'total MB', 'verification', 'level', 'ELF checks'], functionRows),
    ...report.functions.flatMap((f) => (f.verification.elf?.problems ?? []).map((p) => `  ${f.name}: ${p}`))
  ].join('\n');
}
