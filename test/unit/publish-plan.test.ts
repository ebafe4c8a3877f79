import { BuildError, InputError } from '../../src/shared/errors.js';
import { codeSha256, describeVersion, planPublish, s3KeyFor, type PlanInput, type PublishLimits } from '../../src/publish/publish-plan.js';
import { TOOL_ID } from '../../src/shared/tool.js';
import { layerReport, layerSpec, TEMPLATE_FILE, thrownBy } from './fixtures.js';

const SHA = 'ab'.repeat(32);
const LIMITS: PublishLimits = { directUploadBytes: 1000, unzippedBytes: 5000 };

function input(name: string, sizes: { zipped: number; unzipped: number }, line = 3): PlanInput {
  return {
    spec: layerSpec({ name, location: { file: TEMPLATE_FILE, line } }),
    layerName: `stack-${name}`,
    report: layerReport({ name, zippedBytes: sizes.zipped, unzippedBytes: sizes.unzipped, sha256: SHA, zipFile: `layers/${name}.zip` }),
    zipFile: `/out/layers/${name}.zip`
  };
}

describe('planPublish: how each layer goes up', () => {
  const cases: Array<{ name: string; zipped: number; bucket?: string; upload: unknown }> = [
    { name: 'small, no bucket: inline', zipped: 10, upload: { kind: 'zip' } },
    { name: 'small with a bucket: still inline', zipped: 10, bucket: 'b', upload: { kind: 'zip' } },
    { name: 'exactly the cap: inline', zipped: 1000, upload: { kind: 'zip' } },
    {
      name: 'one byte over the cap: through S3 under a key with the hash',
      zipped: 1001,
      bucket: 'b',
      upload: { kind: 's3', bucket: 'b', key: `lambda-layers/stack-core/${SHA}.zip` }
    }
  ];
  test.each(cases)('$name', ({ zipped, bucket, upload }) => {
    const [plan] = planPublish([input('core', { zipped, unzipped: 100 })], { bucket, commit: null, limits: LIMITS });
    expect(plan?.upload).toEqual(upload);
  });

  test('a plan carries the hash as Lambda reports it, the template settings and a description', () => {
    const layer = input('core', { zipped: 10, unzipped: 100 });
    layer.spec = {
      ...layer.spec,
      compatibleRuntimes: ['python3.12', 'python3.13'],
      compatibleArchitectures: ['arm64'],
      licenseInfo: 'MIT'
    };
    expect(planPublish([layer], { commit: 'c0ffee', limits: LIMITS })).toEqual([
      {
        id: 'core',
        layerName: 'stack-core',
        zipFile: '/out/layers/core.zip',
        sha256: SHA,
        codeSha256: Buffer.from(SHA, 'hex').toString('base64'),
        upload: { kind: 'zip' },
        compatibleRuntimes: ['python3.12', 'python3.13'],
        compatibleArchitectures: ['arm64'],
        description: `${TOOL_ID} build 0123456789abcdef0123456789abcdef commit c0ffee`,
        licenseInfo: 'MIT'
      }
    ]);
  });

  test('without CompatibleRuntimes/Architectures in the template: the ones it is built for; no LicenseInfo: none sent', () => {
    const [plan] = planPublish([input('core', { zipped: 10, unzipped: 100 })], { commit: null, limits: LIMITS });
    expect(plan).toMatchObject({ compatibleRuntimes: ['python3.12'], compatibleArchitectures: ['x86_64'] });
    expect(plan).not.toHaveProperty('licenseInfo');
  });

  test("the default limits are Lambda's", () => {
    const [plan] = planPublish([input('core', { zipped: 52_428_801, unzipped: 262_144_000 })], { bucket: 'b', commit: null });
    expect(plan?.upload.kind).toBe('s3');
    expect(() => planPublish([input('core', { zipped: 10, unzipped: 262_144_001 })], { commit: null })).toThrow(BuildError);
  });
});

describe('planPublish: problems stop every layer, before any call', () => {
  test('a large layer without a bucket: InputError naming the layer, its line and the input', () => {
    const error = thrownBy(() =>
      planPublish([input('small', { zipped: 10, unzipped: 100 }, 3), input('big', { zipped: 2000, unzipped: 100 }, 9)], {
        commit: null,
        limits: LIMITS
      })
    );
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toBe(
      `nothing published: ${TEMPLATE_FILE}:9: layer big's zip is 2000 bytes, over the 1000-byte direct upload: set the s3-bucket input (--s3-bucket) to publish it through S3`
    );
  });

  test('over the unzipped limit: BuildError with every layer over it', () => {
    const error = thrownBy(() =>
      planPublish(
        [
          input('a', { zipped: 10, unzipped: 5001 }, 3),
          input('b', { zipped: 10, unzipped: 100 }, 6),
          input('c', { zipped: 10, unzipped: 9000 }, 9)
        ],
        {
          commit: null,
          limits: LIMITS
        }
      )
    );
    expect(error).toBeInstanceOf(BuildError);
    expect((error as Error).message).toContain(`${TEMPLATE_FILE}:3: layer a is 4.9 KiB (5001 bytes) unzipped, over Lambda's 5000 bytes`);
    expect((error as Error).message).toContain(`${TEMPLATE_FILE}:9: layer c is`);
    expect((error as Error).message).not.toContain('layer b');
  });

  test('two layers publishing to one name', () => {
    const a = input('a', { zipped: 10, unzipped: 10 }, 3);
    const b = { ...input('b', { zipped: 10, unzipped: 10 }, 7), layerName: a.layerName };
    expect(() => planPublish([a, b], { commit: null, limits: LIMITS })).toThrow(
      `${TEMPLATE_FILE}:7: layers a and b both publish to the layer name "stack-a"`
    );
  });
});

describe('helpers', () => {
  test('codeSha256 is the base64 of the hex digest', () => {
    // SHA-256 of the empty string.
    expect(codeSha256('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855')).toBe(
      '47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='
    );
  });
  test('s3KeyFor contains the hash', () => {
    expect(s3KeyFor('l', SHA)).toBe(`lambda-layers/l/${SHA}.zip`);
  });
  test('the description stays within 256 characters', () => {
    expect(describeVersion('k'.repeat(300), 'c')).toHaveLength(256);
    expect(describeVersion('key', null)).toBe(`${TOOL_ID} build key`);
  });
});
