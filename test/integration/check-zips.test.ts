import { cp, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { makeSampleApp, runCli, type SampleApp } from '../helpers/sample-app.js';

// Issue 11: `check` measures the zips that ship and compares each with the build's record; a broken zip,
// record or folder fails with a message naming the file, exit 2, and no report claiming the build is fine.

let app: SampleApp;
let out: string;
let pristine: string;

beforeAll(async () => {
  app = await makeSampleApp();
  out = path.join(app.repo, '.lambda-layers');
  pristine = path.join(app.base, 'pristine-out');
  expect((await runCli(app, ['build'])).code).toBe(0);
  await cp(out, pristine, { recursive: true, verbatimSymlinks: true });
});
afterAll(async () => {
  await rm(app.base, { recursive: true, force: true });
});
afterEach(async () => {
  await rm(out, { recursive: true, force: true });
  await cp(pristine, out, { recursive: true, verbatimSymlinks: true });
});

const at = (rel: string) => path.join(out, rel);

test('an intact build checks clean and reports the same zips', async () => {
  const built = await readFile(at('report.json'), 'utf8');
  const result = await runCli(app, ['check']);
  expect(result.code).toBe(0);
  const checked = JSON.parse(await readFile(at('report.json'), 'utf8')) as { layers: Array<{ sha256: string }> };
  const original = JSON.parse(built) as typeof checked;
  expect(checked.layers.map((l) => l.sha256)).toEqual(original.layers.map((l) => l.sha256));
});

const flipLastByte = async (file: string) => {
  const bytes = await readFile(file);
  bytes.writeUInt8(bytes.readUInt8(bytes.length - 1) ^ 0xff, bytes.length - 1);
  await writeFile(file, bytes);
};

test.each([
  ['an emptied layer zip', 'layers/CoreLayer.zip', (f: string) => writeFile(f, ''), /the zip of layer CoreLayer does not open/],
  ['a garbage layer zip', 'layers/MlLayer.zip', (f: string) => writeFile(f, 'not a zip'), /the zip of layer MlLayer does not open/],
  ['a byte changed in a layer zip', 'layers/CoreLayer.zip', flipLastByte, /is not the one the build wrote/],
  ['a deleted layer zip', 'layers/MlLayer.zip', (f: string) => rm(f), /layer MlLayer was built, but .*MlLayer\.zip is gone/],
  ['a deleted function zip', 'functions/Validate.zip', (f: string) => rm(f), /function Validate was built, but .*Validate\.zip is gone/],
  ['a byte changed in a function zip', 'functions/Predict.zip', flipLastByte, /the zip of function Predict/],
  ['a layer record that is {}', 'layers/CoreLayer.build.json', (f: string) => writeFile(f, '{}'), /is damaged \("zip" is missing\)/],
  ['a layer record cut short', 'layers/MlLayer.build.json', (f: string) => writeFile(f, '{"key":'), /is damaged \(not valid JSON\)/],
  [
    'a function record with a negative size',
    'functions/Validate.build.json',
    async (f: string) => {
      const record = JSON.parse(await readFile(f, 'utf8')) as { zip: { zippedBytes: number } };
      record.zip.zippedBytes = -1;
      await writeFile(f, JSON.stringify(record));
    },
    /"zip\.zippedBytes" is not a non-negative integer/
  ],
  [
    'a file added to a layer folder after the build',
    'layers/CoreLayer/python/injected.py',
    (f: string) => writeFile(f, 'print("hi")\n'),
    /the folder of layer CoreLayer no longer matches its zip/
  ]
])('%s fails check with a located message, exit 2', async (_what, rel, damage, message) => {
  await damage(at(rel));
  const result = await runCli(app, ['check']);
  expect(result.code).toBe(2);
  expect(result.stderr).toMatch(message);
  expect(result.stderr).not.toMatch(/\n\s+at /);
  await expect(readFile(at('report.json'))).rejects.toThrow(/ENOENT/);
});
