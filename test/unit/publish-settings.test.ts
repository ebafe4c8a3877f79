import { InputError } from '../../src/shared/errors.js';
import { resolveAwsSettings } from '../../src/aws/aws-clients.js';
import { isReleaseRun, resolvePublishSettings } from '../../src/publish/run-publish.js';

const NAMES = {
  region: 'region',
  stackName: 'stack-name',
  s3Bucket: 's3-bucket',
  manifest: 'manifest',
  updateFunctions: 'update-functions',
  keepVersions: 'keep-versions',
  shareWithAccounts: 'share-with-accounts',
  shareWithOrganization: 'share-with-organization'
};
const ENV = { AWS_REGION: 'us-east-1' };
const DIRS = { workingDirectory: '/repo', outDir: '/repo/.lambda-layers' };

describe('resolvePublishSettings', () => {
  test('defaults', () => {
    expect(resolvePublishSettings({}, DIRS, ENV, NAMES)).toEqual({
      aws: { region: 'us-east-1', maxAttempts: 5, customEndpoint: false },
      manifestFile: '/repo/.lambda-layers/rollback-manifest.json',
      updateFunctions: false
    });
  });
  test('every input', () => {
    expect(
      resolvePublishSettings(
        { region: 'eu-west-1', stackName: 'shop-prod', s3Bucket: 'my.artifacts-1', manifest: 'out/m.json', updateFunctions: 'true' },
        DIRS,
        ENV,
        NAMES
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
    expect(resolvePublishSettings({ keepVersions: '3' }, DIRS, ENV, NAMES).policies).toEqual({
      sharing: { accounts: [] },
      keepVersions: 3
    });
    expect(
      resolvePublishSettings({ shareWithAccounts: '123456789012', shareWithOrganization: 'o-a1b2c3d4e5' }, DIRS, ENV, NAMES).policies
    ).toEqual({
      sharing: { accounts: ['123456789012'], organization: 'o-a1b2c3d4e5' }
    });
  });
  const bad: Array<[string, Record<string, string>, string]> = [
    ['keep-versions 0', { keepVersions: '0' }, 'keep-versions must be a positive whole number, got "0"'],
    ['a short account ID', { shareWithAccounts: '12345' }, 'share-with-accounts: "12345" is not an AWS account ID (12 digits)'],
    ['an organization root ID', { shareWithOrganization: 'r-abcd' }, 'share-with-organization: "r-abcd" is not an organization ID'],
    ['a stack name with a dot', { stackName: 'shop.prod' }, 'stack-name must be a CloudFormation stack name'],
    ['a stack name starting with a digit', { stackName: '1shop' }, 'stack-name must be'],
    ['an upper-case bucket', { s3Bucket: 'MyBucket' }, 's3-bucket must be an S3 bucket name'],
    ['a bucket given as a URL', { s3Bucket: 's3://bucket' }, 's3-bucket must be'],
    ['update-functions yes', { updateFunctions: 'yes' }, 'update-functions must be true or false, got "yes"']
  ];
  test('no region: fails before anything is built', () => {
    expect(() => resolvePublishSettings({}, DIRS, {}, NAMES)).toThrow('no AWS region');
  });
  test.each(bad)('%s', (_, raw, message) => {
    expect(() => resolvePublishSettings(raw, DIRS, ENV, NAMES)).toThrow(InputError);
    expect(() => resolvePublishSettings(raw, DIRS, ENV, NAMES)).toThrow(message);
  });
});

describe('resolveAwsSettings', () => {
  test('the input wins over the environment', () => {
    expect(resolveAwsSettings('eu-west-1', { AWS_REGION: 'us-east-1' }).region).toBe('eu-west-1');
  });
  test('AWS_REGION, then AWS_DEFAULT_REGION', () => {
    expect(resolveAwsSettings(undefined, { AWS_REGION: 'us-east-2', AWS_DEFAULT_REGION: 'us-west-1' }).region).toBe('us-east-2');
    expect(resolveAwsSettings(undefined, { AWS_DEFAULT_REGION: 'us-west-1' }).region).toBe('us-west-1');
  });
  test('no region anywhere: an error that says where to set it', () => {
    expect(() => resolveAwsSettings(undefined, {})).toThrow('no AWS region: set the region input (--region)');
  });
  test('a malformed region', () => {
    expect(() => resolveAwsSettings('US East', {})).toThrow('region must look like us-east-1, got "US East"');
  });
  test('attempts: 5 by default, AWS_MAX_ATTEMPTS when set', () => {
    expect(resolveAwsSettings('us-east-1', {}).maxAttempts).toBe(5);
    expect(resolveAwsSettings('us-east-1', { AWS_MAX_ATTEMPTS: '2' }).maxAttempts).toBe(2);
    expect(() => resolveAwsSettings('us-east-1', { AWS_MAX_ATTEMPTS: '0' })).toThrow('AWS_MAX_ATTEMPTS must be a positive integer');
  });
  test('an endpoint override makes S3 path-style', () => {
    expect(resolveAwsSettings('us-east-1', {}).customEndpoint).toBe(false);
    expect(resolveAwsSettings('us-east-1', { AWS_ENDPOINT_URL: 'http://127.0.0.1:5000' }).customEndpoint).toBe(true);
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
