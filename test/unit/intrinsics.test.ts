import {
  describe as describeValue,
  evaluateCondition,
  NO_VALUE,
  resolveValue,
  Unknowable,
  type StackContext
} from '../../src/template/intrinsics.js';
import { parseTemplate } from '../../src/template/cfn-yaml.js';
import { InputError } from '../../src/shared/errors.js';
import { at, inputErrorFrom, TEMPLATE_FILE, thrownBy } from './fixtures.js';

const WHERE = at(7);

function context(overrides: Partial<StackContext> = {}): StackContext {
  return {
    parameters: new Map<string, unknown>([
      ['Env', 'prod'],
      ['Runtime', 'python3.12'],
      ['Names', ['a', 'b', 'c']],
      ['Csv', 'x,y']
    ]),
    declared: new Set(['Env', 'Runtime', 'Names', 'Csv', 'NoDefault']),
    resources: new Set(['DepsLayer', 'Fn']),
    prefix: '',
    conditions: {
      IsProd: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] },
      IsDev: { 'Fn::Not': [{ Condition: 'IsProd' }] },
      Both: { 'Fn::And': [{ Condition: 'IsProd' }, { 'Fn::Equals': ['a', 'a'] }] },
      Either: { 'Fn::Or': [{ Condition: 'IsDev' }, { 'Fn::Equals': ['a', 'b'] }] },
      Unknown: { 'Fn::Equals': [{ Ref: 'NoDefault' }, 'x'] },
      Loop: { 'Fn::Not': [{ Condition: 'Loop' }] }
    },
    mappings: { Arch: { prod: { Value: 'arm64' }, dev: { Value: 'x86_64' } } },
    pseudo: new Map([['AWS::Region', 'eu-west-1']]),
    ...overrides
  };
}

/** Parses `Value: <yaml>` (short forms as users write them) and resolves it. */
function resolved(yaml: string, ctx = context()): unknown {
  return resolveValue(parseTemplate(`Value: ${yaml}\n`, TEMPLATE_FILE).data['Value'], ctx, WHERE);
}

function unknowable(yaml: string, ctx = context()): string {
  const error = thrownBy(() => resolved(yaml, ctx));
  if (!(error instanceof Unknowable)) throw new Error(`expected Unknowable, got ${String(error)}`);
  return error.message;
}

describe('resolveValue', () => {
  test.each([
    ['!Ref Runtime', 'python3.12'],
    ['!Ref Names', ['a', 'b', 'c']],
    ['!Ref AWS::Region', 'eu-west-1'],
    ['!Sub "${Env}-deps"', 'prod-deps'],
    ['!Sub ["${Env}-${X}", {X: !Ref Runtime}]', 'prod-python3.12'],
    ['!Sub "${!Literal}-${AWS::Region}"', '${Literal}-eu-west-1'],
    ['!If [IsProd, arm64, x86_64]', 'arm64'],
    ['!If [IsDev, arm64, x86_64]', 'x86_64'],
    ['!If [Both, yes, no]', 'yes'],
    ['!If [Either, yes, no]', 'no'],
    ['!FindInMap [Arch, !Ref Env, Value]', 'arm64'],
    ['!FindInMap [Arch, staging, Value, {DefaultValue: none}]', 'none'],
    ['!Join ["-", [a, !Ref Env]]', 'a-prod'],
    ['!Join [",", !Ref Names]', 'a,b,c'],
    ['!Select [1, !Ref Names]', 'b'],
    ['!Select ["0", [p, q]]', 'p'],
    ['!Split [",", !Ref Csv]', ['x', 'y']],
    ['!Select [1, !Split [",", !Ref Csv]]', 'y'],
    ['!Length [a, b]', 2],
    ['[a, !Ref AWS::NoValue, b]', ['a', 'b']],
    ['{A: !Ref AWS::NoValue, B: !Ref Env}', { B: 'prod' }],
    ['!Ref DepsLayer', { Ref: 'DepsLayer' }],
    ['!GetAtt DepsLayer.Arn', { 'Fn::GetAtt': ['DepsLayer', 'Arn'] }],
    ['plain', 'plain']
  ])('%s', (yaml, expected) => {
    expect(resolved(yaml)).toEqual(expected);
  });

  test('!Ref AWS::NoValue alone is the NO_VALUE marker', () => {
    expect(resolved('!Ref AWS::NoValue')).toBe(NO_VALUE);
  });

  test('resource references carry the stack path of a nested app', () => {
    expect(resolved('!Ref DepsLayer', context({ prefix: 'Child/' }))).toEqual({ Ref: 'Child/DepsLayer' });
  });

  test.each([
    ['!Ref NoDefault', 'parameter NoDefault has no value: set it with --parameter-overrides NoDefault=<value>'],
    ['!Sub "${NoDefault}-x"', 'parameter NoDefault has no value'],
    ['!Ref AWS::AccountId', 'AWS::AccountId is known only when deploying: set it with --parameter-overrides AWS::AccountId=<value>'],
    ['!If [Unknown, a, b]', 'parameter NoDefault has no value'],
    ['!Sub "${DepsLayer.Arn}"', 'is known only after deploying'],
    ['!Sub "${DepsLayer}"', 'the physical ID of resource DepsLayer is known only after deploying'],
    ['!ImportValue Shared', '!ImportValue Shared is known only after deploying']
  ])('%s is unknowable, and the message says what to set', (yaml, message) => {
    expect(unknowable(yaml)).toContain(message);
  });

  test.each([
    ['!Ref [a, b]', 'Ref takes a parameter or resource name, got ["a","b"]'],
    ['!Ref Missing', '!Ref Missing: no parameter, resource or pseudo-parameter of that name in the template'],
    ['!GetAtt Other.Arn', '!GetAtt ["Other","Arn"]: no resource Other in the template'],
    ['!If [Nope, a, b]', 'condition "Nope" is not in the Conditions section'],
    ['!If [Loop, a, b]', 'condition Loop refers to itself'],
    ['!FindInMap [Arch, staging, Value]', '!FindInMap [Arch, staging, Value]: no such entry in Mappings'],
    ['!Select [5, [a]]', '!Select index 5 is not in a list of 1'],
    ['!Join ["-", x]', 'Fn::Join list must be a list, got "x"'],
    ['!Sub [1, {}]', '!Sub takes a string or [string, {variables}], got [1,{}]'],
    ['!Sub "${Names}"', '${Names} is a list, not a string']
  ])('%s is bad input, located', (yaml, message) => {
    const error = inputErrorFrom(() => resolved(yaml));
    expect(error.location).toEqual(WHERE);
    expect(error.message).toContain(message);
  });

  test('a condition that is not a condition function is bad input', () => {
    const ctx = context({ conditions: { Odd: { 'Fn::Join': ['', []] } } });
    expect(thrownBy(() => evaluateCondition('Odd', ctx, WHERE))).toBeInstanceOf(InputError);
  });
});

describe('describe (intrinsics in messages)', () => {
  test.each([
    [{ Ref: 'P' }, '!Ref P'],
    [{ 'Fn::Sub': '${A}-x' }, '!Sub "${A}-x"'],
    [{ 'Fn::If': ['C', 'a', 'b'] }, '!If ["C","a","b"]'],
    [42, '42'],
    [{ A: 1, B: 2 }, '{"A":1,"B":2}']
  ])('%j as %s, never [object Object]', (value, text) => {
    expect(describeValue(value)).toBe(text);
  });
});
