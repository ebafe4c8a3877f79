import { parseParameterOverrides } from '../../src/settings/parameter-overrides.js';
import { DEFAULT_REGION, parameterValues, pseudoParameters } from '../../src/template/parameters.js';
import { at, inputErrorFrom } from './fixtures.js';

describe('parseParameterOverrides (SAM syntax)', () => {
  test.each([
    ['Env=prod', { Env: 'prod' }],
    ['Env=prod Runtime=python3.12', { Env: 'prod', Runtime: 'python3.12' }],
    ['  Env=prod   Runtime=python3.12  ', { Env: 'prod', Runtime: 'python3.12' }],
    ['Names=a,b,c', { Names: 'a,b,c' }],
    ['Url=a=b', { Url: 'a=b' }],
    ['Msg="hello world" Env=prod', { Msg: 'hello world', Env: 'prod' }],
    ["Msg='it is' Env=prod", { Msg: 'it is', Env: 'prod' }],
    ['Msg=hello\\ world', { Msg: 'hello world' }],
    ['Msg="say \\"hi\\""', { Msg: 'say "hi"' }],
    ['Empty=""', { Empty: '' }],
    ['ParameterKey=Env,ParameterValue=prod ParameterKey=Arch,ParameterValue=arm64', { Env: 'prod', Arch: 'arm64' }],
    ['AWS::Region=eu-west-1', { 'AWS::Region': 'eu-west-1' }],
    ['Env=dev Env=prod', { Env: 'prod' }]
  ])('%s', (text, expected) => {
    expect(parseParameterOverrides([text], 'parameter-overrides')).toEqual(expected);
  });

  test('several strings (flags, input lines) add up; later ones win', () => {
    expect(parseParameterOverrides(['A=1 B=2', '', 'B=3'], 'parameter-overrides')).toEqual({ A: '1', B: '3' });
  });

  test.each([['Env'], ['Env=prod junk'], ['=x'], ['Bad-Key=1'], [',,']])('%s is refused, not dropped', (text) => {
    const error = inputErrorFrom(() => parseParameterOverrides([text], 'parameter-overrides', at(3)));
    expect(error.message).toMatch(/^\/repo\/template.yaml:3: parameter-overrides: ".*" is not a Key=Value pair: write /);
  });
});

describe('parameterValues', () => {
  const declarations = {
    Env: { Type: 'String', Default: 'dev', AllowedValues: ['dev', 'prod'] },
    Memory: { Type: 'Number', Default: 128 },
    Names: { Type: 'CommaDelimitedList', Default: 'a, b,c' },
    Subnets: { Type: 'List<AWS::EC2::Subnet::Id>', Default: 's-1,s-2' },
    Ssm: { Type: 'AWS::SSM::Parameter::Value<String>', Default: '/my/param' },
    NoDefault: { Type: 'String' }
  };

  test('Defaults, lists split on commas (trimmed), numbers as text, SSM types and missing Defaults have no value', () => {
    expect(Object.fromEntries(parameterValues(declarations, {}, at()))).toEqual({
      Env: 'dev',
      Memory: '128',
      Names: ['a', 'b', 'c'],
      Subnets: ['s-1', 's-2']
    });
  });

  test('overrides win over Defaults and give a value to parameters without one', () => {
    const values = parameterValues(declarations, { Env: 'prod', NoDefault: 'x', Names: 'z' }, at());
    expect(values.get('Env')).toBe('prod');
    expect(values.get('NoDefault')).toBe('x');
    expect(values.get('Names')).toEqual(['z']);
  });

  test('values passed by a parent stack that are not text are kept (a resource reference)', () => {
    expect(parameterValues({ Layer: { Type: 'String' } }, { Layer: { Ref: 'Deps' } }, at()).get('Layer')).toEqual({ Ref: 'Deps' });
  });

  test('an override outside AllowedValues is bad input', () => {
    expect(inputErrorFrom(() => parameterValues(declarations, { Env: 'qa' }, at())).message).toBe(
      '/repo/template.yaml: parameter Env: "qa" is not one of its AllowedValues (dev, prod)'
    );
  });

  test.each([
    [[1, 2], 'Parameters must be a mapping of parameter names to their declarations'],
    [{ P: 'String' }, 'parameter P must be a mapping with a Type'],
    [{ P: { Default: 1 } }, 'parameter P must be a mapping with a Type']
  ])('declarations %j are bad input', (value, message) => {
    expect(inputErrorFrom(() => parameterValues(value, {}, at())).message).toBe(`/repo/template.yaml: ${message}`);
  });
});

describe('pseudoParameters', () => {
  test(`the region from the environment, else ${DEFAULT_REGION} (SAM's local default); the partition follows it`, () => {
    expect(pseudoParameters({ overrides: {} }, {}).get('AWS::Region')).toBe(DEFAULT_REGION);
    expect(pseudoParameters({ overrides: {} }, { AWS_DEFAULT_REGION: 'eu-west-3' }).get('AWS::Region')).toBe('eu-west-3');
    const china = pseudoParameters({ overrides: {} }, { AWS_REGION: 'cn-north-1', AWS_DEFAULT_REGION: 'eu-west-3' });
    expect(Object.fromEntries(china)).toEqual({
      'AWS::Region': 'cn-north-1',
      'AWS::Partition': 'aws-cn',
      'AWS::URLSuffix': 'amazonaws.com.cn'
    });
    expect(pseudoParameters({ overrides: {}, region: 'us-gov-west-1' }, {}).get('AWS::Partition')).toBe('aws-us-gov');
  });

  test('overrides and samconfig.toml set them; the stack name and account are unknown otherwise', () => {
    expect(pseudoParameters({ overrides: {} }, {}).has('AWS::StackName')).toBe(false);
    expect(pseudoParameters({ overrides: {} }, {}).has('AWS::AccountId')).toBe(false);
    const given = pseudoParameters(
      { overrides: { 'AWS::Region': 'ap-south-1', 'AWS::AccountId': '1' }, region: 'eu-west-1', stackName: 'app' },
      {}
    );
    expect(given.get('AWS::Region')).toBe('ap-south-1');
    expect(given.get('AWS::AccountId')).toBe('1');
    expect(given.get('AWS::StackName')).toBe('app');
  });
});
