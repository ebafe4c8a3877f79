import { compareVersions, contentChanges, packageChanges } from '../../src/pr/package-changes.js';
import { renderComment } from '../../src/pr/render-comment.js';
import { renderSummary } from '../../src/pr/render-summary.js';
import { diffReports } from '../../src/pr/report-diff.js';
import type { RenderContext } from '../../src/pr/size-markdown.js';
import { whyItChanged } from '../../src/pr/why-markdown.js';
import { OWN_CODE, type Report } from '../../src/report/report.js';
import { functionReport, KiB, layerReport, makeReport, MiB } from './fixtures.js';

const CTX: RenderContext = { commentKey: 'sizes', tool: { name: 'lambda-layers', version: '0.1.0' } };
const NONE = { minBytes: 1, minPercent: 0 };
const pkg = (name: string, version: string, bytes: number) => ({ name, version, bytes });

test.each<[string, string, number]>([
  ['1.10.0', '1.9.3', 1],
  ['2.0', '2.0.0', -1],
  ['1.26.5', '1.26.5', 0],
  ['2.0.0rc1', '2.0.0', -1],
  ['2.0.0', '2.0.0b2', 1],
  ['1.0.post1', '1.0', 1],
  ['1.0.dev0', '1.0', -1],
  ['1.0rc2', '1.0rc10', -1],
  ['0.10.0', '0.9.0', 1]
])('compareVersions(%s, %s) has the sign of %i', (a, b, sign) => {
  expect(Math.sign(compareVersions(a, b))).toBe(sign);
});

test('packages added, removed, upgraded, downgraded and resized, largest change first', () => {
  const base = [
    pkg('numpy', '2.4.6', 45 * MiB),
    pkg('six', '1.17.0', 43 * KiB),
    pkg('urllib3', '2.8.0', 480 * KiB),
    pkg('pandas', '3.0.6', 25 * MiB)
  ];
  const head = [
    pkg('numpy', '2.5.0', 46 * MiB),
    pkg('urllib3', '1.26.20', 400 * KiB),
    pkg('pandas', '3.0.6', 24 * MiB),
    pkg('tabulate', '0.10.0', 141 * KiB)
  ];
  expect(packageChanges(base, head)).toEqual([
    { name: 'numpy', kind: 'upgraded', from: '2.4.6', to: '2.5.0', delta: MiB },
    { name: 'pandas', kind: 'resized', delta: -MiB },
    { name: 'tabulate', kind: 'added', to: '0.10.0', delta: 141 * KiB },
    { name: 'urllib3', kind: 'downgraded', from: '2.8.0', to: '1.26.20', delta: -80 * KiB },
    { name: 'six', kind: 'removed', from: '1.17.0', delta: -43 * KiB }
  ]);
});

/** An app whose AWS layer and Predict function change between base and head. */
function app(aws: ReturnType<typeof pkg>[], own: ReturnType<typeof pkg>[], extra: Partial<Report> = {}): Report {
  const awsBytes = aws.reduce((s, p) => s + p.bytes, 0);
  const ownBytes = own.reduce((s, p) => s + p.bytes, 0);
  return makeReport({
    layers: [
      layerReport({ name: 'Core', unzippedBytes: 70 * MiB, sha256: 'a'.repeat(64), packages: [pkg('numpy', '2.4.6', 70 * MiB)] }),
      layerReport({ name: 'Aws', unzippedBytes: awsBytes, sha256: String(awsBytes).padStart(64, '0'), packages: aws })
    ],
    functions: [
      functionReport({ name: 'Validate', layers: ['Core'], codeUnzippedBytes: 2 * KiB, totalUnzippedBytes: 70 * MiB + 2 * KiB }),
      functionReport({
        name: 'Predict',
        layers: ['Core', 'Aws'],
        codeUnzippedBytes: ownBytes,
        totalUnzippedBytes: 70 * MiB + awsBytes + ownBytes,
        sha256: String(ownBytes).padStart(64, '0'),
        packages: own
      })
    ],
    ...extra
  });
}

const BASE = app([pkg('boto3', '1.44.8', MiB)], [pkg(OWN_CODE, '', 2 * KiB)]);

test('why it changed: the layer with its packages and the functions it is in; the function with its own code and dependencies', () => {
  const head = app(
    [pkg('boto3', '1.45.0', MiB + 10 * KiB), pkg('tabulate', '0.10.0', 141 * KiB)],
    [pkg(OWN_CODE, '', 3 * KiB), pkg('requests', '2.33.0', 400 * KiB)]
  );
  const diff = diffReports(BASE, head, NONE);
  expect(diff.changes.map((c) => [c.kind, c.name, c.status, c.delta, c.usedBy])).toEqual([
    ['function', 'Predict', 'changed', 401 * KiB, undefined],
    ['layer', 'Aws', 'changed', 151 * KiB, ['Predict']]
  ]);
  expect(whyItChanged(diff, { packages: 5, artifacts: 10 })).toEqual([
    '**Why it changed**',
    '',
    '- function **Predict** +401.0 KiB: added requests 2\\.33\\.0 (+400.0 KiB), own code (+1.0 KiB)',
    '- layer **Aws** +151.0 KiB (in Predict): added tabulate 0\\.10\\.0 (+141.0 KiB), upgraded boto3 1\\.44\\.8 → 1\\.45\\.0 (+10.0 KiB)',
    ''
  ]);
});

test('why it changed is capped: the rest of the packages and of the layers are counted', () => {
  const many = Array.from({ length: 8 }, (_, i) => pkg(`p${i}`, '1.0', (i + 1) * KiB));
  const diff = diffReports(BASE, app([pkg('boto3', '1.44.8', MiB), ...many], [pkg(OWN_CODE, '', 3 * KiB)]), NONE);
  const lines = whyItChanged(diff, { packages: 3, artifacts: 1 });
  expect(lines[2]).toBe(
    '- layer **Aws** +36.0 KiB (in Predict): added p7 1\\.0 (+8.0 KiB), added p6 1\\.0 (+7.0 KiB), added p5 1\\.0 (+6.0 KiB), 5 more (+15.0 KiB)'
  );
  expect(lines[3]).toBe('- and 1 more layers or functions changed (the job summary lists them all)');
});

test('a change of slimming settings or of the tool version is named as such', () => {
  const head = app([pkg('boto3', '1.44.8', MiB - 5 * KiB)], [pkg(OWN_CODE, '', 2 * KiB)], {
    tool: { name: 'lambda-layers', version: '0.2.0' }
  });
  head.layers[1]!.slimming = { ...head.layers[1]!.slimming, bytecode: { mode: 'optimized', files: 3 } };
  const lines = whyItChanged(diffReports(BASE, head, NONE), { packages: 5, artifacts: 10 });
  expect(lines).toContain(
    '- layer **Aws** -5.0 KiB (in Predict): boto3 same version (-5.0 KiB), slimming setting changed: bytecode: bytecode → optimized'
  );
  expect(lines).toContain('- the base was built by lambda\\-layers 0\\.1\\.0, the head by lambda\\-layers 0\\.2\\.0');
});

test('unchanged zips are not explained; without a base there is nothing to explain', () => {
  expect(contentChanges(BASE, BASE)).toEqual([]);
  const diff = diffReports(undefined, BASE, NONE);
  expect(diff.changes).toEqual([]);
  expect(renderComment(diff, CTX)).not.toContain('Why it changed');
});

test('package and version names are escaped in the comment and the summary', () => {
  const head = app([pkg('boto3', '1.44.8', MiB), pkg('<img src=x>', '1.0*', KiB)], [pkg(OWN_CODE, '', 2 * KiB)]);
  const diff = diffReports(BASE, head, NONE);
  for (const text of [renderComment(diff, CTX), renderSummary(diff, CTX, head)]) {
    expect(text).not.toMatch(/(^|[^\\])<img/);
    expect(text).toContain('\\<img src=x\\>');
    expect(text).toContain('1\\.0\\*');
  }
});

test('the summary has what the comment leaves out: packages, slimming by rule, verification, cache hits, timings, warnings', () => {
  const head = app([pkg('boto3', '1.44.8', MiB)], [pkg(OWN_CODE, '', 2 * KiB), pkg('requests', '2.33.0', 400 * KiB)]);
  head.layers[0]!.cacheHit = true;
  head.layers[0]!.slimming = { ...head.layers[0]!.slimming, removed: [{ rule: 'tests', files: 12, bytes: 3 * MiB }] };
  head.layers[1]!.warnings = ['bundles boto3'];
  Object.assign(head.functions[1]!, { timings: { install: 1200, verify: 350.4, label: 'not a number' } });
  head.functions[1]!.verification = { status: 'skipped', reason: 'no CPython 3.12 found', modules: 0, failures: [] };
  const summary = renderSummary(diffReports(BASE, head, NONE), CTX, head);
  expect(summary).toContain('| requests | 2\\.33\\.0 | 400.0 KiB |');
  expect(summary).toContain('| own code |  | 2.0 KiB |');
  expect(summary).toContain('| layer Core | tests | 12 | 3.0 MiB |');
  expect(summary).toContain('| Predict | skipped |  | 0 | — | no CPython 3\\.12 found |');
  expect(summary).toContain('1 of 2 layers from the cache: Core.');
  expect(summary).toContain('| seconds | install | verify | total |');
  expect(summary).toContain('| Predict | 1.2 | 0.4 | 1.6 |');
  expect(summary).not.toContain('label');
  expect(summary).toContain('- Aws: bundles boto3');
  // A report without timings has no timings section.
  expect(renderSummary(diffReports(BASE, BASE, NONE), CTX, BASE)).not.toContain('Time per phase');
});
