import { formatLayerVersionArn, layerArn, parseLayerVersionArn, unversionedLayerArn } from '../../src/aws/layer-arn.js';

describe('parseLayerVersionArn', () => {
  test.each([
    [
      'arn:aws:lambda:us-east-1:123456789012:layer:core:1',
      { partition: 'aws', region: 'us-east-1', account: '123456789012', layerName: 'core', version: 1 }
    ],
    [
      'arn:aws-cn:lambda:cn-north-1:123456789012:layer:my_layer-2:42',
      { partition: 'aws-cn', region: 'cn-north-1', account: '123456789012', layerName: 'my_layer-2', version: 42 }
    ],
    [
      'arn:aws-us-gov:lambda:us-gov-west-1:000000000000:layer:A:7',
      { partition: 'aws-us-gov', region: 'us-gov-west-1', account: '000000000000', layerName: 'A', version: 7 }
    ]
  ])('%s', (arn, expected) => {
    expect(parseLayerVersionArn(arn)).toEqual(expected);
    expect(formatLayerVersionArn(expected)).toBe(arn);
  });

  test.each([
    ['unversioned', 'arn:aws:lambda:us-east-1:123456789012:layer:core'],
    ['version 0', 'arn:aws:lambda:us-east-1:123456789012:layer:core:0'],
    ['version not a number', 'arn:aws:lambda:us-east-1:123456789012:layer:core:$LATEST'],
    ['a function ARN', 'arn:aws:lambda:us-east-1:123456789012:function:core:1'],
    ['another service', 'arn:aws:s3:us-east-1:123456789012:layer:core:1'],
    ['11-digit account', 'arn:aws:lambda:us-east-1:12345678901:layer:core:1'],
    ['bad region', 'arn:aws:lambda:useast1:123456789012:layer:core:1'],
    ['bad name', 'arn:aws:lambda:us-east-1:123456789012:layer:co.re:1'],
    ['name over 140', `arn:aws:lambda:us-east-1:123456789012:layer:${'a'.repeat(141)}:1`],
    ['trailing text', 'arn:aws:lambda:us-east-1:123456789012:layer:core:1 '],
    ['empty', '']
  ])('rejects %s', (_, arn) => {
    expect(parseLayerVersionArn(arn)).toBeUndefined();
    expect(unversionedLayerArn(arn)).toBeUndefined();
  });
});

test('the unversioned ARN is what all versions of one layer share', () => {
  const v1 = 'arn:aws:lambda:eu-west-1:123456789012:layer:core:1';
  const v12 = 'arn:aws:lambda:eu-west-1:123456789012:layer:core:12';
  expect(unversionedLayerArn(v1)).toBe('arn:aws:lambda:eu-west-1:123456789012:layer:core');
  expect(unversionedLayerArn(v12)).toBe(unversionedLayerArn(v1));
  expect(unversionedLayerArn('arn:aws:lambda:eu-west-1:210987654321:layer:core:1')).not.toBe(unversionedLayerArn(v1));
  expect(layerArn({ partition: 'aws', region: 'eu-west-1', account: '123456789012', layerName: 'core' })).toBe(unversionedLayerArn(v1));
});
