import { parseTemplate } from '../../src/template/cfn-yaml.js';
import type { DiscoverOptions } from '../../src/template/discover.js';
import { InputError } from '../../src/shared/errors.js';
import { at, discover, inputErrorFrom, lines, TEMPLATE_FILE } from './fixtures.js';

/** Nested templates from memory: discovery reads them only through readChild. */
function reader(files: Record<string, string>): DiscoverOptions['readChild'] {
  return (file, where) => {
    const text = files[file];
    if (text === undefined) throw new InputError(`nested application template ${file} not found`, where);
    return parseTemplate(text, file);
  };
}

const ROOT_TEMPLATE = lines(
  'Transform: AWS::Serverless-2016-10-31', // 1
  'Resources:', // 2
  '  Shared:', // 3
  '    Type: AWS::Serverless::LayerVersion', // 4
  '    Properties: {ContentUri: layers/shared, CompatibleRuntimes: [python3.12]}', // 5
  '  Orders:', // 6
  '    Type: AWS::Serverless::Application', // 7
  '    Properties:', // 8
  '      Location: apps/orders/template.yaml', // 9
  '      Parameters: {SharedLayer: !Ref Shared, Stage: prod}', // 10
  '  Billing:', // 11
  '    Type: AWS::CloudFormation::Stack', // 12
  '    Properties: {TemplateURL: file:///repo/apps/billing.yaml}', // 13
  '  FromSar:', // 14
  '    Type: AWS::Serverless::Application', // 15
  '    Properties: {Location: {ApplicationId: "arn:aws:serverlessrepo:us-east-1:1:applications/x", SemanticVersion: 1.0.0}}', // 16
  '  Remote:', // 17
  '    Type: AWS::Serverless::Application', // 18
  '    Properties: {Location: "https://example.com/t.yaml"}' // 19
);

const ORDERS = lines(
  'Parameters:', // 1
  '  SharedLayer: {Type: String}', // 2
  '  Stage: {Type: String, Default: dev}', // 3
  'Resources:', // 4
  '  Deps:', // 5
  '    Type: AWS::Serverless::LayerVersion', // 6
  '    Properties: {ContentUri: deps/, CompatibleRuntimes: [python3.12]}', // 7
  '  Fn:', // 8
  '    Type: AWS::Serverless::Function', // 9
  '    Properties:', // 10
  '      CodeUri: src/', // 11
  '      Handler: !Sub "${Stage}.handler"', // 12
  '      Runtime: python3.12', // 13
  '      Layers: [!Ref SharedLayer, !Ref Deps]' // 14
);

const BILLING = lines(
  'Resources:',
  '  Fn:',
  '    Type: AWS::Lambda::Function',
  '    Properties: {Code: billing/, Handler: app.handler, Runtime: python3.12, Layers: [!GetAtt Missing.Arn]}'
);

const FILES = { '/repo/apps/orders/template.yaml': ORDERS, '/repo/apps/billing.yaml': BILLING };

describe('discoverApp: nested applications with local templates', () => {
  test('their functions and layers are reported under the child stack path, paths relative to the child template', () => {
    const app = discover(ROOT_TEMPLATE.replace('!GetAtt Missing.Arn', ''), TEMPLATE_FILE, '/repo', {
      readChild: reader({ ...FILES, '/repo/apps/billing.yaml': BILLING.replace(', Layers: [!GetAtt Missing.Arn]', '') })
    });
    expect(app.layers.map((l) => [l.name, l.contentDir, l.location])).toEqual([
      ['Shared', '/repo/layers/shared', at(3)],
      ['Orders/Deps', '/repo/apps/orders/deps', at(5, '/repo/apps/orders/template.yaml')]
    ]);
    expect(app.functions.map((f) => [f.name, f.codeDir, f.handler, f.layers, f.location])).toEqual([
      [
        'Orders/Fn',
        '/repo/apps/orders/src',
        'prod.handler',
        [
          { kind: 'template', name: 'Shared' },
          { kind: 'template', name: 'Orders/Deps' }
        ],
        at(8, '/repo/apps/orders/template.yaml')
      ],
      ['Billing/Fn', '/repo/apps/billing', 'app.handler', [], at(2, '/repo/apps/billing.yaml')]
    ]);
    expect(app.skipped).toEqual([
      'FromSar: a Serverless Application Repository app: its functions are built by their publisher, not here',
      'Remote: its template is remote (https://example.com/t.yaml), so it is not followed'
    ]);
  });

  test('a missing child template is a located error', () => {
    const error = inputErrorFrom(() => discover(ROOT_TEMPLATE, TEMPLATE_FILE, '/repo', { readChild: reader({}) }));
    expect(error.location).toEqual(at(6));
    expect(error.message).toContain('nested application template /repo/apps/orders/template.yaml not found');
  });

  test('a template that includes itself is refused', () => {
    const loop = lines('Resources:', '  Self:', '    Type: AWS::Serverless::Application', '    Properties: {Location: template.yaml}');
    const error = inputErrorFrom(() => discover(loop, TEMPLATE_FILE, '/repo', { readChild: reader({ [TEMPLATE_FILE]: loop }) }));
    expect(error.message).toContain('nested application Self: /repo/template.yaml includes itself');
  });

  test('a Location outside the repository is refused', () => {
    const outside = lines(
      'Resources:',
      '  Out:',
      '    Type: AWS::Serverless::Application',
      '    Properties: {Location: ../elsewhere/t.yaml}'
    );
    expect(inputErrorFrom(() => discover(outside, TEMPLATE_FILE, '/repo', { readChild: reader({}) })).message).toBe(
      `${TEMPLATE_FILE}:2: Location "../elsewhere/t.yaml" points outside the repository (/repo)`
    );
  });

  test.each([['Location: 42'], ['Location: [a]']])('%s is refused', (written) => {
    const bad = lines('Resources:', '  App:', '    Type: AWS::Serverless::Application', `    Properties: {${written}}`);
    expect(inputErrorFrom(() => discover(bad, TEMPLATE_FILE, '/repo', { readChild: reader({}) })).message).toContain(
      ':2: Location must be a template path or URL, got '
    );
  });

  test('a child resource referencing a name the child does not have is a located error in the child', () => {
    const error = inputErrorFrom(() => discover(ROOT_TEMPLATE, TEMPLATE_FILE, '/repo', { readChild: reader(FILES) }));
    expect(error.location).toEqual(at(2, '/repo/apps/billing.yaml'));
    expect(error.message).toContain('!GetAtt ["Missing","Arn"]: no resource Missing in the template');
  });
});
