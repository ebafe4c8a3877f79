import type { RollbackManifest } from '../../src/rollback/manifest.js';
import { renderPublishSummary } from '../../src/publish/render-publish.js';

const arn = (name: string, version: number) => `arn:aws:lambda:us-east-1:123456789012:layer:${name}:${version}`;

const manifest: RollbackManifest = {
  version: 1,
  region: 'us-east-1',
  createdAt: '2026-11-26T01:30:00.000Z',
  commit: 'c0ffee',
  ref: 'refs/tags/v1.0.0',
  layers: {
    CoreLayer: {
      layerName: 'shop-core',
      status: 'published',
      arn: arn('shop-core', 2),
      previousArn: arn('shop-core', 1),
      sha256: 'a'.repeat(64)
    },
    MlLayer: { layerName: 'ml', status: 'unchanged', arn: arn('ml', 3), previousArn: arn('ml', 3), sha256: 'b'.repeat(64) },
    NewLayer: {
      layerName: 'new',
      status: 'failed',
      arn: null,
      previousArn: null,
      sha256: 'c'.repeat(64),
      error: 'HTTP 500 | twice\nthen gave up'
    }
  },
  functions: {
    Predict: { functionName: 'shop-predict', before: [arn('shop-core', 1), arn('ml', 3)], after: [arn('shop-core', 2), arn('ml', 3)] },
    Validate: { functionName: null, before: [arn('shop-core', 1)], after: [arn('shop-core', 2)] }
  }
};

test('the job summary: layers, functions and the manifest', () => {
  expect(renderPublishSummary(manifest, '/repo/.lambda-layers/rollback-manifest.json')).toMatchSnapshot();
});

test('a failed layer is marked, and its error cannot break the table', () => {
  const text = renderPublishSummary(manifest, 'm.json');
  expect(text).toContain('### Layer versions partly published for refs/tags/v1\\.0\\.0');
  expect(text).toContain('| NewLayer | new | **failed** |  |  | HTTP 500 \\| twice then gave up |');
});

test('no functions: no function table', () => {
  const text = renderPublishSummary({ ...manifest, functions: {}, layers: { MlLayer: manifest.layers['MlLayer']! } }, 'm.json');
  expect(text).toContain('### Layer versions published for refs/tags/v1\\.0\\.0');
  expect(text).not.toContain('| Function |');
});

test('markdown, HTML and backtick fences in names, errors and the manifest cannot escape their cell or code block', () => {
  const text = renderPublishSummary(
    {
      ...manifest,
      ref: 'refs/tags/<img src=x>',
      layers: { NewLayer: { ...manifest.layers['NewLayer']!, error: '```\n</details><script>x</script> [a](http://evil)' } }
    },
    'm`s.json'
  );
  expect(text).toContain('for refs/tags/\\<img src=x\\>');
  expect(text).toContain('| \\`\\`\\` \\</details\\>\\<script\\>x\\</script\\> \\[a\\]\\(http://evil\\) |');
  // The manifest's JSON holds three backticks: its fence has four.
  expect(text).toMatch(/^````json\n[\s\S]*\n````\n\n<\/details>\n$/m);
});
