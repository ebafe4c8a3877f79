import { parseTemplate } from '../../src/template/cfn-yaml.js';
import { InputError } from '../../src/shared/errors.js';
import { inputErrorFrom, lines, TEMPLATE_FILE } from './fixtures.js';

/** Parses `Value: <yaml>` and returns the value. */
function valueOf(yaml: string): unknown {
  return parseTemplate(`Value: ${yaml}\n`, TEMPLATE_FILE).data['Value'];
}

// Written out independently of the source's table, so a wrong long name is caught.
const TAGS: Array<[string, string]> = [
  ['Ref', 'Ref'],
  ['Condition', 'Condition'],
  ['Base64', 'Fn::Base64'],
  ['Cidr', 'Fn::Cidr'],
  ['FindInMap', 'Fn::FindInMap'],
  ['GetAtt', 'Fn::GetAtt'],
  ['GetAZs', 'Fn::GetAZs'],
  ['ImportValue', 'Fn::ImportValue'],
  ['Join', 'Fn::Join'],
  ['Select', 'Fn::Select'],
  ['Split', 'Fn::Split'],
  ['Sub', 'Fn::Sub'],
  ['Transform', 'Fn::Transform'],
  ['And', 'Fn::And'],
  ['Equals', 'Fn::Equals'],
  ['If', 'Fn::If'],
  ['Not', 'Fn::Not'],
  ['Or', 'Fn::Or'],
  ['ToJsonString', 'Fn::ToJsonString'],
  ['Length', 'Fn::Length'],
  ['ForEach', 'Fn::ForEach']
];
const NOT_GETATT = TAGS.filter(([short]) => short !== 'GetAtt');

describe('parseTemplate: short-form intrinsics', () => {
  test.each(NOT_GETATT)('!%s as a scalar becomes {%s: string}', (short, long) => {
    expect(valueOf(`!${short} some-value`)).toEqual({ [long]: 'some-value' });
  });

  test.each(TAGS)('!%s as a flow sequence becomes {%s: [...]}', (short, long) => {
    expect(valueOf(`!${short} [a, 1, true]`)).toEqual({ [long]: ['a', 1, true] });
  });

  test.each(TAGS)('!%s as a block sequence becomes {%s: [...]}', (short, long) => {
    const data = parseTemplate(lines('Value: !' + short, '  - first', '  - second'), TEMPLATE_FILE).data;
    expect(data['Value']).toEqual({ [long]: ['first', 'second'] });
  });

  test.each(TAGS)('!%s as a mapping becomes {%s: {...}}', (short, long) => {
    expect(valueOf(`!${short} {Name: x, Count: 2}`)).toEqual({ [long]: { Name: 'x', Count: 2 } });
  });

  test('a scalar tag keeps the scalar as written, as a string', () => {
    expect(valueOf('!Ref 12')).toEqual({ Ref: '12' });
    expect(valueOf("!GetAZs ''")).toEqual({ 'Fn::GetAZs': '' });
  });

  test('!Sub scalar form, including a block scalar', () => {
    expect(valueOf('!Sub "arn:${AWS::Partition}:s3:::${Bucket}/*"')).toEqual({
      'Fn::Sub': 'arn:${AWS::Partition}:s3:::${Bucket}/*'
    });
    const data = parseTemplate(lines('Value: !Sub |', '  line ${A}', '  line ${B}'), TEMPLATE_FILE).data;
    expect(data['Value']).toEqual({ 'Fn::Sub': 'line ${A}\nline ${B}\n' });
  });

  test('!Sub list form with a variable map holding a nested !Ref', () => {
    expect(valueOf("!Sub ['${Name}-layer', {Name: !Ref Stage}]")).toEqual({
      'Fn::Sub': ['${Name}-layer', { Name: { Ref: 'Stage' } }]
    });
  });

  test.each([
    ['!GetAtt MyLayer.Arn', ['MyLayer', 'Arn']],
    ['!GetAtt Table.StreamSpecification.StreamArn', ['Table', 'StreamSpecification.StreamArn']],
    ['!GetAtt Lonely', ['Lonely']],
    ['!GetAtt [MyLayer, Arn]', ['MyLayer', 'Arn']]
  ])('%s -> Fn::GetAtt %j', (yaml, expected) => {
    expect(valueOf(yaml)).toEqual({ 'Fn::GetAtt': expected });
  });

  test('!GetAtt mapping form is kept as a mapping', () => {
    expect(valueOf('!GetAtt {A: B}')).toEqual({ 'Fn::GetAtt': { A: 'B' } });
  });

  test.each([
    [
      '!Sub and !Ref inside !Join',
      "!Join ['', [!Sub 'arn:${AWS::Partition}:x', !Ref Name]]",
      {
        'Fn::Join': ['', [{ 'Fn::Sub': 'arn:${AWS::Partition}:x' }, { Ref: 'Name' }]]
      }
    ],
    [
      '!Ref inside !If',
      "!If [IsProd, !Ref ProdLayer, !Ref 'AWS::NoValue']",
      {
        'Fn::If': ['IsProd', { Ref: 'ProdLayer' }, { Ref: 'AWS::NoValue' }]
      }
    ],
    ['!GetAZs inside !Select', "!Select [0, !GetAZs '']", { 'Fn::Select': [0, { 'Fn::GetAZs': '' }] }],
    [
      '!Split inside !Select',
      "!Select [2, !Split ['-', !Ref Name]]",
      {
        'Fn::Select': [2, { 'Fn::Split': ['-', { Ref: 'Name' }] }]
      }
    ],
    [
      '!Equals inside !Not inside !And',
      '!And [!Not [!Equals [!Ref Env, prod]], !Condition HasVpc]',
      {
        'Fn::And': [{ 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] }] }, { Condition: 'HasVpc' }]
      }
    ],
    [
      '!FindInMap with a nested !Ref',
      '!FindInMap [RegionMap, !Ref AWS::Region, Ami]',
      {
        'Fn::FindInMap': ['RegionMap', { Ref: 'AWS::Region' }, 'Ami']
      }
    ],
    [
      '!Cidr with a nested !GetAtt',
      '!Cidr [!GetAtt Vpc.CidrBlock, 6, 8]',
      {
        'Fn::Cidr': [{ 'Fn::GetAtt': ['Vpc', 'CidrBlock'] }, 6, 8]
      }
    ],
    ['!Base64 of a !Sub', '!Base64 {"Fn::Sub": "echo ${X}"}', { 'Fn::Base64': { 'Fn::Sub': 'echo ${X}' } }],
    [
      '!ImportValue of a !Sub',
      "!ImportValue {'Fn::Sub': '${Net}-VpcId'}",
      {
        'Fn::ImportValue': { 'Fn::Sub': '${Net}-VpcId' }
      }
    ],
    ['!Or of !Condition', '!Or [!Condition A, !Condition B]', { 'Fn::Or': [{ Condition: 'A' }, { Condition: 'B' }] }]
  ])('nested: %s', (_label, yaml, expected) => {
    expect(valueOf(yaml)).toEqual(expected);
  });

  test('nested tags in block style', () => {
    const text = lines(
      'Value: !Join',
      "  - ':'",
      '  - - !Sub "${AWS::Region}"',
      '    - !If',
      '      - Cond',
      '      - !GetAtt Layer.Arn',
      '      - !Ref AWS::NoValue'
    );
    expect(parseTemplate(text, TEMPLATE_FILE).data['Value']).toEqual({
      'Fn::Join': [
        ':',
        [{ 'Fn::Sub': '${AWS::Region}' }, { 'Fn::If': ['Cond', { 'Fn::GetAtt': ['Layer', 'Arn'] }, { Ref: 'AWS::NoValue' }] }]
      ]
    });
  });

  test('long-form intrinsics pass through unchanged', () => {
    expect(valueOf('{"Fn::GetAtt": [A, B], Ref: C}')).toEqual({ 'Fn::GetAtt': ['A', 'B'], Ref: 'C' });
  });

  test('aliases outside tags resolve to the anchored value', () => {
    const data = parseTemplate(lines('A: &name shared', 'B: *name'), TEMPLATE_FILE).data;
    expect(data).toEqual({ A: 'shared', B: 'shared' });
  });

  // Regression (fixed): tagged collections are converted with node.toJSON() without the document context,
  // so an alias inside one becomes the Alias node's JSON ({ source: 'name' }) instead of its value.
  test('aliases inside a tagged sequence resolve to the anchored value', () => {
    const data = parseTemplate(lines('A: &name shared', "B: !Join ['-', [*name, x]]"), TEMPLATE_FILE).data;
    expect(data['B']).toEqual({ 'Fn::Join': ['-', ['shared', 'x']] });
  });
});

describe('parseTemplate: resourceLines', () => {
  test('gives the 1-based line of every resource logical ID', () => {
    const text = lines(
      "AWSTemplateFormatVersion: '2010-09-09'", // 1
      'Transform: AWS::Serverless-2016-10-31', // 2
      '', // 3
      'Resources:', // 4
      '  First:', // 5
      '    Type: AWS::Serverless::LayerVersion', // 6
      '', // 7
      '  # a comment', // 8
      '  Second:', // 9
      '    Type: AWS::Serverless::Function', // 10
      '    Properties: {Handler: app.handler}', // 11
      '  "Quoted":', // 12
      '    Type: AWS::S3::Bucket' // 13
    );
    const { resourceLines } = parseTemplate(text, TEMPLATE_FILE);
    expect([...resourceLines]).toEqual([
      ['First', 5],
      ['Second', 9],
      ['Quoted', 12]
    ]);
  });

  test('is empty when there is no Resources mapping', () => {
    expect(parseTemplate('Outputs: {}\n', TEMPLATE_FILE).resourceLines.size).toBe(0);
    expect(parseTemplate('Resources: []\n', TEMPLATE_FILE).resourceLines.size).toBe(0);
  });

  test('keys of other sections do not leak in', () => {
    const text = lines('Parameters:', '  Stage: {Type: String}', 'Resources:', '  Only:', '    Type: X');
    expect([...parseTemplate(text, TEMPLATE_FILE).resourceLines]).toEqual([['Only', 4]]);
  });
});

describe('parseTemplate: JSON', () => {
  test('a JSON template parses, with its resource lines', () => {
    const text = [
      '{',
      '  "AWSTemplateFormatVersion": "2010-09-09",',
      '  "Resources": {',
      '    "Layer": {',
      '      "Type": "AWS::Serverless::LayerVersion",',
      '      "Properties": { "ContentUri": "layers/deps", "CompatibleRuntimes": ["python3.12"] }',
      '    },',
      '    "Fn": { "Type": "AWS::Serverless::Function", "Properties": { "Layers": [{ "Ref": "Layer" }] } }',
      '  }',
      '}'
    ].join('\n');
    const parsed = parseTemplate(text, '/repo/template.json');
    expect(parsed.data).toEqual({
      AWSTemplateFormatVersion: '2010-09-09',
      Resources: {
        Layer: {
          Type: 'AWS::Serverless::LayerVersion',
          Properties: { ContentUri: 'layers/deps', CompatibleRuntimes: ['python3.12'] }
        },
        Fn: { Type: 'AWS::Serverless::Function', Properties: { Layers: [{ Ref: 'Layer' }] } }
      }
    });
    expect([...parsed.resourceLines]).toEqual([
      ['Layer', 4],
      ['Fn', 8]
    ]);
  });
});

describe('parseTemplate: errors', () => {
  test.each([
    ['a mapping item at the wrong column', lines('Resources:', '  A:', '    Type: X', '   B: y'), 4],
    ['a tab used as indentation', lines('Resources:', '  A:', '    Type: X', '  B:', '\tType: Y'), 5],
    ['a duplicate resource ID', lines('Resources:', '  A:', '    Type: X', '  A:', '    Type: Y'), 4],
    ['a duplicate property key', lines('Resources:', '  A:', '    Type: X', '    Type: Y'), 4]
  ])('%s throws an InputError naming the file and line', (_label, text, line) => {
    const error = inputErrorFrom(() => parseTemplate(text, TEMPLATE_FILE));
    expect(error.location).toEqual({ file: TEMPLATE_FILE, line });
    expect(error.message.startsWith(`${TEMPLATE_FILE}:${line}: malformed template: `)).toBe(true);
    // Only the first line of the parser's message is kept.
    expect(error.message).not.toContain('\n');
  });

  test('a duplicate key is reported as such', () => {
    const error = inputErrorFrom(() => parseTemplate(lines('Resources:', '  A: {}', '  A: {}'), TEMPLATE_FILE));
    expect(error.message).toBe(`${TEMPLATE_FILE}:3: malformed template: Map keys must be unique`);
  });

  test('a duplicate key in a JSON template is an error too', () => {
    const error = inputErrorFrom(() => parseTemplate('{"Resources": {"A": {}, "A": {}}}', '/repo/t.json'));
    expect(error.message).toBe('/repo/t.json:1: malformed template: Map keys must be unique');
  });

  test.each([
    ['a sequence', '- a\n- b\n'],
    ['a scalar', 'just a string\n'],
    ['an empty file', ''],
    ['only a comment', '# nothing here\n']
  ])('a top level that is %s throws', (_label, text) => {
    const error = thrownBy(text);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toBe(`${TEMPLATE_FILE}: malformed template: the top level is not a mapping`);
    expect((error as InputError).location).toEqual({ file: TEMPLATE_FILE });
  });

  function thrownBy(text: string): unknown {
    try {
      parseTemplate(text, TEMPLATE_FILE);
    } catch (error) {
      return error;
    }
    return undefined;
  }
});

describe('parseTemplate: YAML aliases', () => {
  test('a "billion laughs" alias bomb is a located one-line error, not a stack trace', () => {
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x]'];
    for (const [prev, name] of [
      ['a', 'b'],
      ['b', 'c'],
      ['c', 'd'],
      ['d', 'e'],
      ['e', 'f']
    ]) {
      levels.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(', ')}]`);
    }
    const error = inputErrorFrom(() => parseTemplate(lines(...levels, 'Resources: {}'), TEMPLATE_FILE));
    expect(error.message).toBe(`${TEMPLATE_FILE}:2: malformed template: its YAML aliases expand to more than 1000 copies (an alias bomb?)`);
  });

  test('an alias without its anchor is a located error', () => {
    const error = inputErrorFrom(() => parseTemplate(lines('Resources:', '  A:', '    Type: *nope'), TEMPLATE_FILE));
    expect(error.message).toBe(`${TEMPLATE_FILE}:3: malformed template: alias *nope has no anchor &nope before it`);
  });

  test('ordinary aliases still resolve, inside intrinsics too', () => {
    const parsed = parseTemplate(
      lines('X: &runtime python3.12', 'Resources:', '  A: {Runtime: *runtime, Sub: !Sub [*runtime, {}]}'),
      TEMPLATE_FILE
    );
    expect(parsed.data['Resources']).toEqual({ A: { Runtime: 'python3.12', Sub: { 'Fn::Sub': ['python3.12', {}] } } });
  });
});
