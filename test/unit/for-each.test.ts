import { expandForEach } from '../../src/template/for-each.js';
import type { StackContext } from '../../src/template/intrinsics.js';
import { at, discover, inputErrorFrom, lines } from './fixtures.js';

function context(parameters: Record<string, unknown> = {}): StackContext {
  return {
    parameters: new Map(Object.entries(parameters)),
    declared: new Set(Object.keys(parameters)),
    resources: new Set(),
    prefix: '',
    conditions: {},
    mappings: {},
    pseudo: new Map()
  };
}

const expand = (section: Record<string, unknown>, parameters: Record<string, unknown> = {}) =>
  expandForEach(section, context(parameters), () => at(4));

describe('expandForEach', () => {
  test('${Id} in keys and values, {Ref: Id} as the value; other keys kept; origins recorded', () => {
    const { section, origins } = expand({
      Plain: { Type: 'AWS::SNS::Topic' },
      'Fn::ForEach::Topics': [
        'Name',
        ['Alerts', 'Jobs'],
        { 'Topic${Name}': { Properties: { TopicName: '${Name}-t', Tag: { Ref: 'Name' } } } }
      ]
    });
    expect(section).toEqual({
      Plain: { Type: 'AWS::SNS::Topic' },
      TopicAlerts: { Properties: { TopicName: 'Alerts-t', Tag: 'Alerts' } },
      TopicJobs: { Properties: { TopicName: 'Jobs-t', Tag: 'Jobs' } }
    });
    expect(Object.fromEntries(origins)).toEqual({ TopicAlerts: 'Fn::ForEach::Topics', TopicJobs: 'Fn::ForEach::Topics' });
  });

  test('&{Id} drops the non-alphanumeric characters of the value, ${Id} keeps them', () => {
    const { section } = expand({ 'Fn::ForEach::Subnets': ['Cidr', ['10.0.2.0/24'], { 'Subnet&{Cidr}': { CidrBlock: '${Cidr}' } }] });
    expect(section).toEqual({ Subnet1002024: { CidrBlock: '10.0.2.0/24' } });
  });

  test('the collection from a CommaDelimitedList parameter, or a String one with commas', () => {
    const body = { 'Fn${N}': {} };
    expect(Object.keys(expand({ 'Fn::ForEach::L': ['N', { Ref: 'Names' }, body] }, { Names: ['A', 'B'] }).section)).toEqual(['FnA', 'FnB']);
    expect(Object.keys(expand({ 'Fn::ForEach::L': ['N', { Ref: 'Names' }, body] }, { Names: 'A, B' }).section)).toEqual(['FnA', 'FnB']);
  });

  test('nested loops, and loops inside properties', () => {
    const { section } = expand({
      'Fn::ForEach::Outer': [
        'Env',
        ['Dev', 'Prod'],
        {
          'Fn::ForEach::Inner': [
            'Svc',
            ['Api', 'Job'],
            { '${Svc}${Env}': { Properties: { 'Fn::ForEach::Vars': ['V', ['X'], { 'Var${V}': '${Env}' }] } } }
          ]
        }
      ]
    });
    expect(section).toEqual({
      ApiDev: { Properties: { VarX: 'Dev' } },
      JobDev: { Properties: { VarX: 'Dev' } },
      ApiProd: { Properties: { VarX: 'Prod' } },
      JobProd: { Properties: { VarX: 'Prod' } }
    });
  });

  test('a list of identifiers takes a list of lists; booleans become lower case', () => {
    const { section } = expand({
      'Fn::ForEach::Pairs': [
        ['Id', 'On'],
        [
          ['A', true],
          ['B', false]
        ],
        { 'Fn${Id}': { Enabled: '${On}' } }
      ]
    });
    expect(section).toEqual({ FnA: { Enabled: 'true' }, FnB: { Enabled: 'false' } });
  });

  test.each([
    [{ 'Fn::ForEach::L': ['N', ['A']] }, 'Fn::ForEach::L must be [Identifier, Collection, {OutputKey: OutputValue}]'],
    [{ 'Fn::ForEach::L': [1, ['A'], {}] }, 'the identifier must be a name or a list of names, got 1'],
    [{ 'Fn::ForEach::L': ['N', 'A', {}] }, 'Fn::ForEach::L: the collection must be a list'],
    [{ 'Fn::ForEach::L': ['N', [{ a: 1 }], {}] }, 'Fn::ForEach::L: a collection item must be a string, got {"a":1}'],
    [{ 'Fn::ForEach::L': ['Names', ['A'], {}] }, 'Fn::ForEach::L: identifier Names is also a parameter name'],
    [{ 'Fn::ForEach::L': ['N', ['A', 'A'], { 'Fn${N}': {} }] }, 'Fn::ForEach::L makes FnA, which is already defined'],
    [{ FnA: {}, 'Fn::ForEach::L': ['N', ['A'], { 'Fn${N}': {} }] }, 'Fn::ForEach::L makes FnA, which is already defined'],
    [{ 'Fn::ForEach::L': [['A', 'B'], [['x']], {}] }, 'each collection item must be a list of 2 values (A, B)'],
    [
      { 'Fn::ForEach::L': ['N', ['A'], { 'Fn::ForEach::M': ['N', ['B'], {}] }] },
      'Fn::ForEach::M: identifier N is already used by an enclosing loop'
    ]
  ])('%j is bad input, at the loop', (section, message) => {
    const error = inputErrorFrom(() => expand(section, { Names: ['x'] }));
    expect(error.location).toEqual(at(4));
    expect(error.message).toContain(message);
  });

  test('loops nest at most five deep', () => {
    let body: Record<string, unknown> = { 'R${I5}': {} };
    for (let depth = 5; depth >= 0; depth--) body = { [`Fn::ForEach::L${depth}`]: [`I${depth}`, ['a'], body] };
    expect(inputErrorFrom(() => expand(body)).message).toContain('Fn::ForEach::L5: Fn::ForEach loops nest at most 5 deep');
  });

  test('a collection whose parameter has no value is bad input that names the parameter', () => {
    const ctx = { ...context(), declared: new Set(['Names']) };
    expect(() => expandForEach({ 'Fn::ForEach::L': ['N', { Ref: 'Names' }, {}] }, ctx, () => at(4))).toThrow(
      'parameter Names has no value: set it with --parameter-overrides Names=<value>'
    );
  });
});

describe('discoverApp: a ForEach template (AWS::LanguageExtensions)', () => {
  const text = lines(
    'Transform: [AWS::LanguageExtensions, AWS::Serverless-2016-10-31]', // 1
    'Parameters:', // 2
    '  Handlers: {Type: CommaDelimitedList, Default: "Orders,Users"}', // 3
    'Resources:', // 4
    '  Deps:', // 5
    '    Type: AWS::Serverless::LayerVersion', // 6
    '    Properties: {ContentUri: layers/deps, CompatibleRuntimes: [python3.12]}', // 7
    '  Fn::ForEach::Functions:', // 8
    '    - Name', // 9
    '    - !Ref Handlers', // 10
    '    - ${Name}Function:', // 11
    '        Type: AWS::Serverless::Function', // 12
    '        Properties:', // 13
    '          CodeUri: functions/${Name}/', // 14
    '          Handler: app.handler', // 15
    '          Runtime: python3.12', // 16
    '          Layers: [!Ref Deps]' // 17
  );

  test('every generated function is discovered, with its substituted path, at the loop line', () => {
    const app = discover(text);
    expect(app.functions.map((f) => [f.name, f.codeDir, f.location.line])).toEqual([
      ['OrdersFunction', '/repo/functions/Orders', 8],
      ['UsersFunction', '/repo/functions/Users', 8]
    ]);
    expect(app.functions.every((f) => f.layers[0]?.kind === 'template')).toBe(true);
  });

  test('the collection follows --parameter-overrides', () => {
    const app = discover(text, undefined, undefined, { overrides: { Handlers: 'Billing' } });
    expect(app.functions.map((f) => f.name)).toEqual(['BillingFunction']);
  });

  test('a generated logical ID that CloudFormation refuses is refused at the loop line', () => {
    const error = inputErrorFrom(() => discover(text, undefined, undefined, { overrides: { Handlers: 'a-b' } }));
    expect(error.location).toEqual(at(8));
    expect(error.message).toContain('logical ID "a-bFunction" is not alphanumeric');
  });
});
