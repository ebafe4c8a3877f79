import { readFile, rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { makeSampleApp, run, runCli, type SampleApp } from '../helpers/sample-app.js';
import type { Report } from '../../src/report/report.js';

/** Lists a zip with Python's zipfile: name, unix mode, date, and a symlink's target. */
async function zipListing(zipFile: string): Promise<Array<{ name: string; mode: number; date: number[]; data: string }>> {
  const script = `
import json, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
print(json.dumps([{"name": i.filename, "mode": i.external_attr >> 16, "date": list(i.date_time),
  "data": z.read(i).decode() if (i.external_attr >> 16) & 0o170000 == 0o120000 else ""} for i in z.infolist()]))`;
  const result = await run('python3', ['-c', script, zipFile], { cwd: path.dirname(zipFile), env: process.env });
  expect(result.stderr).toBe('');
  return JSON.parse(result.stdout) as Array<{ name: string; mode: number; date: number[]; data: string }>;
}

async function readReport(app: SampleApp): Promise<Report> {
  return JSON.parse(await readFile(path.join(app.repo, '.lambda-layers/report.json'), 'utf8')) as Report;
}

let app: SampleApp;
beforeAll(async () => {
  app = await makeSampleApp();
});
afterAll(async () => {
  await rm(app.base, { recursive: true, force: true });
});

describe('lambda-layers build on a two-layer app of tiny wheels', () => {
  let first: Report;

  test('builds every layer and function, prints the table and writes the report', async () => {
    const result = await runCli(app, ['build']);
    expect(result.stderr).toContain('[1/2] layer CoreLayer (python3.12, x86_64): building');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/CoreLayer\s+\S+ \S+\s+\S+ \S+\s+\d+\s+built/);
    first = await readReport(app);
    expect(first.version).toBe(1);
    expect(first.withinLimits).toBe(true);
    const core = first.layers.find((l) => l.name === 'CoreLayer');
    expect(core?.packages.map((p) => `${p.name}==${p.version}`).sort()).toEqual(['tiny-core==1.0', 'tiny-dep==2.0', 'tiny-native==3.1']);
    expect(core?.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(core?.layerName).toBe('${AWS::StackName}-core');
    const predict = first.functions.find((f) => f.name === 'Predict');
    expect(predict?.layers).toEqual(['CoreLayer', 'MlLayer']);
    const ml = first.layers.find((l) => l.name === 'MlLayer');
    expect(predict?.totalUnzippedBytes).toBe((predict?.codeUnzippedBytes ?? 0) + (core?.unzippedBytes ?? 0) + (ml?.unzippedBytes ?? 0));
    // The function's own requirement stays; what its layers provide is left out.
    expect(predict?.packages.map((p) => p.name).sort()).toEqual(['(function code)', 'tiny-helper']);
    expect(result.stderr).toContain('left out of the package because its layers provide them: tiny-core, tiny-dep');
  });

  test('layer zips hold python/ with fixed timestamps and normalized modes, sorted', async () => {
    const entries = await zipListing(path.join(app.repo, '.lambda-layers/layers/CoreLayer.zip'));
    const names = entries.map((e) => e.name);
    expect(names).toEqual([...names].sort());
    // Sourceless bytecode by default: the .pyc replaces the .py.
    expect(names).toContain('python/tiny_core/__init__.pyc');
    expect(names).not.toContain('python/tiny_core/__init__.py');
    expect(names).toContain('python/tiny_core-1.0.dist-info/METADATA');
    for (const e of entries) {
      expect(e.date).toEqual([1980, 1, 1, 0, 0, 0]);
      expect([0o100644, 0o100755]).toContain(e.mode);
    }
  });

  test('a second build comes from the cache and gives byte-identical zips', async () => {
    const result = await runCli(app, ['build']);
    expect(result.code).toBe(0);
    const second = await readReport(app);
    expect(second.layers.map((l) => l.cacheHit)).toEqual([true, true]);
    expect(second.layers.map((l) => l.sha256)).toEqual(first.layers.map((l) => l.sha256));
    expect(second.functions.map((f) => f.sha256)).toEqual(first.functions.map((f) => f.sha256));
  });

  test('a build from scratch (empty cache, other time zone) gives the same zips', async () => {
    const result = await runCli(app, ['build', '--cache-dir', path.join(app.base, 'cache-2')], { TZ: 'Asia/Tokyo' });
    expect(result.code).toBe(0);
    const fresh = await readReport(app);
    expect(fresh.layers.map((l) => l.cacheHit)).toEqual([false, false]);
    expect(fresh.layers.map((l) => l.sha256)).toEqual(first.layers.map((l) => l.sha256));
    expect(fresh.functions.map((f) => f.sha256)).toEqual(first.functions.map((f) => f.sha256));
  });

  test('check re-measures the existing build without pip', async () => {
    const result = await runCli(app, ['check']);
    expect(result.code).toBe(0);
    expect(result.stderr).not.toContain('building');
    const checked = await readReport(app);
    expect(checked.layers.map((l) => l.sha256)).toEqual(first.layers.map((l) => l.sha256));
  });

  test('a requirement change misses the cache; check then calls the old build stale', async () => {
    await writeFile(path.join(app.repo, 'layers/ml/requirements.txt'), 'tiny-ml==0.5\ntiny-helper==0.1\n');
    const check = await runCli(app, ['check']);
    expect(check.stderr).toContain('layer MlLayer: the build is stale');
    const result = await runCli(app, ['build']);
    expect(result.code).toBe(0);
    const report = await readReport(app);
    expect(report.layers.map((l) => l.cacheHit)).toEqual([true, false]);
    expect(report.layers[1]?.packages.map((p) => p.name)).toContain('tiny-helper');
  });

  test('an upper layer is resolved against the versions of the layers below it', async () => {
    await writeFile(path.join(app.repo, 'layers/ml/requirements.txt'), 'tiny-ml==0.5\ntiny-dep==1.2\n');
    const result = await runCli(app, ['build']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('layer MlLayer: pip failed');
    expect(result.stderr).toContain('The user requested (constraint) tiny-dep==2.0');
    expect(result.stderr).toContain('(the constraints are the versions installed by layer CoreLayer)');
  });

  test('built naive, layers with different versions of one distribution are named', async () => {
    const result = await runCli(app, ['build', '--no-slim', '--out', '.naive']);
    expect(result.stderr).toContain('function Predict: layers CoreLayer and MlLayer install different versions of tiny-dep (2.0, 1.2)');
    // The function's own requirements are resolved against the version that wins in /opt (the later layer's).
    expect(result.code).toBe(0);
    const report = JSON.parse(await readFile(path.join(app.repo, '.naive/report.json'), 'utf8')) as Report;
    expect(report.functions.find((f) => f.name === 'Predict')?.warnings.join('\n')).toContain('different versions of tiny-dep');
    await writeFile(path.join(app.repo, 'layers/ml/requirements.txt'), 'tiny-ml==0.5\n');
  });

  test('over a limit: exit 1 naming the function, components, limit, overage and largest packages', async () => {
    const config = path.join(app.base, 'tight.yaml');
    expect((await runCli(app, ['build'])).code).toBe(0);
    await writeFile(config, `pipArgs: ["--no-index", "--find-links", "${app.index}"]\nlimits:\n  unzippedBytes: 1500\n`);
    const result = await runCli(app, ['check', '--config', config]);
    expect(result.code).toBe(1);
    const report = await readReport(app);
    const predict = report.functions.find((f) => f.name === 'Predict');
    expect(predict?.withinLimits).toBe(false);
    const over = (predict?.totalUnzippedBytes ?? 0) - 1500;
    expect(result.stderr).toMatch(
      new RegExp(
        `function Predict is .* unzipped, over the limit of 1\\.5 KiB \\(1,500 bytes\\) by .*\\(${over.toLocaleString('en-US')} bytes\\)`
      )
    );
    expect(result.stderr).toMatch(/Components: code \S+ \S+, layer CoreLayer \S+ \S+, layer MlLayer/);
    expect(result.stderr).toMatch(/Largest packages: tiny-\S+ \d+ B/);
    expect(result.stdout).toMatch(/Predict .* OVER/);
  });
});

describe('symlinks', () => {
  test('a link inside a function folder is stored as a link', async () => {
    const linked = await makeSampleApp();
    await symlink('app.py', path.join(linked.repo, 'functions/validate/alias.py'));
    const result = await runCli(linked, ['build']);
    expect(result.code).toBe(0);
    const entries = await zipListing(path.join(linked.repo, '.lambda-layers/functions/Validate.zip'));
    expect(entries.find((e) => e.name === 'alias.py')).toMatchObject({ mode: 0o120777, data: 'app.py' });
    await rm(linked.base, { recursive: true, force: true });
  });
});
