import { InputError } from '../../src/shared/errors.js';
import { isReleaseRun, resolvePublishSettings } from '../../src/publish/run-publish.js';
import type { InputName } from '../../src/settings/inputs.js';
import { PUBLISH_OPTIONS } from '../../src/cli/options.js';
import { actionInputsFrom, cliInputsFrom } from './fixtures.js';

const ENV = { AWS_REGION: 'us-east-1' };
const DIRS = { workingDirectory: '/repo', outDir: '/repo/.lambda-layers' };

describe('resolvePublishSettings', () => {
  test('defaults', () => {
    expect(resolvePublishSettings(actionInputsFrom({}), DIRS, ENV)).toEqual({
      aws: { region: 'us-east-1', maxAttempts: 5, customEndpoint: false },
      manifestFile: '/repo/.lambda-layers/rollback-manifest.json',
      updateFunctions: false
    });
  });
  test('every input', () => {
    expect(
      resolvePublishSettings(
        actionInputsFrom({
          region: 'eu-west-1',
          'stack-name': 'shop-prod',
          's3-bucket': 'my.artifacts-1',
          manifest: 'out/m.json',
          'update-functions': 'true'
        }),
        DIRS,
        ENV
      )
    ).toEqual({
      aws: { region: 'eu-west-1', maxAttempts: 5, customEndpoint: false },
      stackName: 'shop-prod',
      s3Bucket: 'my.artifacts-1',
      manifestFile: '/repo/out/m.json',
      updateFunctions: true
    });
  });
  test('sharing and retention become the layer policies', () => {
    expect(resolvePublishSettings(actionInputsFrom({ 'keep-versions': '3' }), DIRS, ENV).policies).toEqual({
      sharing: { accounts: [] },
      keepVersions: 3
    });
    expect(
      resolvePublishSettings(
        actionInputsFrom({ 'share-with-accounts': '123456789012', 'share-with-organization': 'o-a1b2c3d4e5' }),
        DIRS,
        ENV
      ).policies
    ).toEqual({
      sharing: { accounts: ['123456789012'], organization: 'o-a1b2c3d4e5' }
    });
  });
  const bad: Array<[string, Partial<Record<InputName, string>>, string]> = [
    ['keep-versions 0', { 'keep-versions': '0' }, 'input keep-versions must be a positive whole number, got "0"'],
    ['a short account ID', { 'share-with-accounts': '12345' }, 'input share-with-accounts: "12345" is not an AWS account ID (12 digits)'],
    [
      'an organization root ID',
      { 'share-with-organization': 'r-abcd' },
      'input share-with-organization: "r-abcd" is not an organization ID'
    ],
    ['a stack name with a dot', { 'stack-name': 'shop.prod' }, 'input stack-name must be a CloudFormation stack name'],
    ['a stack name starting with a digit', { 'stack-name': '1shop' }, 'input stack-name must be'],
    ['an upper-case bucket', { 's3-bucket': 'MyBucket' }, 'input s3-bucket must be an S3 bucket name'],
    ['a bucket given as a URL', { 's3-bucket': 's3://bucket' }, 'input s3-bucket must be'],
    ['update-functions yes', { 'update-functions': 'yes' }, 'input update-functions must be true or false, got "yes"']
  ];
  test('the CLI names its flags', () => {
    expect(() => resolvePublishSettings(cliInputsFrom(['--s3-bucket', 'MyBucket'], PUBLISH_OPTIONS), DIRS, ENV)).toThrow(
      '--s3-bucket must be an S3 bucket name'
    );
    expect(resolvePublishSettings(cliInputsFrom(['--update-functions'], PUBLISH_OPTIONS), DIRS, ENV).updateFunctions).toBe(true);
  });
  test('no region: fails before anything is built', () => {
    expect(() => resolvePublishSettings(actionInputsFrom({}), DIRS, {})).toThrow('no AWS region');
  });
  test.each(bad)('%s', (_, raw, message) => {
    expect(() => resolvePublishSettings(actionInputsFrom(raw), DIRS, ENV)).toThrow(InputError);
    expect(() => resolvePublishSettings(actionInputsFrom(raw), DIRS, ENV)).toThrow(message);
  });
});

describe('isReleaseRun', () => {
  const cases: Array<[string, string | undefined, boolean]> = [
    ['v*', 'refs/tags/v1.0.0', true],
    ['v*', 'refs/tags/release-1', false],
    ['v*', 'refs/heads/v1', false],
    ['v*', undefined, false],
    ['', 'refs/tags/v1.0.0', false],
    ['release-*', 'refs/tags/release-2026.11', true],
    ['v[0-9]*.*.*', 'refs/tags/v2.3.4', true],
    ['v[0-9]*.*.*', 'refs/tags/vnext', false]
  ];
  test.each(cases)('publish-on %j, GITHUB_REF %j → %j', (publishOn, ref, expected) => {
    expect(isReleaseRun(publishOn, ref === undefined ? {} : { GITHUB_REF: ref })).toBe(expected);
  });
});
