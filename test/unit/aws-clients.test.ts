import { resolveAwsSettings } from '../../src/aws/aws-clients.js';

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
