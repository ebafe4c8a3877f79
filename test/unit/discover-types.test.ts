/** issue 11: types checked where the template gives them; anything else is exit 2 at the resource's line. */
import { at, discover, functionYaml, inputErrorFrom, layerYaml, lines, TEMPLATE_FILE } from './fixtures.js';

const LAYER = layerYaml('Deps', { buildMethod: 'python3.12' }); // lines 2-7
const withFunction = (...props: string[]) =>
  lines(
    'Parameters:', // 1
    '  Arn: {Type: String, Default: "arn:aws:lambda:us-east-1:123456789012:layer:x:1"}', // 2
    'Resources:', // 3
    ...LAYER, // 4-9
    '  Fn:', // 10
    '    Type: AWS::Serverless::Function', // 11
    '    Properties:', // 12
    '      Runtime: python3.12', // 13
    '      Handler: app.handler', // 14
    ...props.map((p) => `      ${p}`)
  );

describe('Layers: a list of layer references', () => {
  test.each([
    ['Layers: [1, 2]', 'Layers entries must be !Ref to a layer or layer ARNs, got 1'],
    ['Layers: [null]', 'Layers entries must be !Ref to a layer or layer ARNs, got null'],
    ['Layers: [{A: b}]', 'Layers entries must be !Ref to a layer or layer ARNs, got {"A":"b"}'],
    ['Layers: !Ref [a, b]', 'Ref takes a parameter or resource name, got ["a","b"]'],
    ['Layers: Deps', 'Layers must be a list of layer references (!Ref MyLayer or ARNs), got "Deps"'],
    ['Layers: {Ref: Deps}', 'Layers must be a list of layer references (!Ref MyLayer or ARNs), got !Ref Deps'],
    ['Layers: [Deps]', 'Layers: "Deps" is not a layer ARN; a layer of the template is written !Ref Deps']
  ])('%s is refused', (written, message) => {
    const error = inputErrorFrom(() => discover(withFunction('CodeUri: fn', written)));
    expect(error.message).toBe(`${TEMPLATE_FILE}:10: ${message}`);
  });

  test('a parameter holding an ARN and !If with AWS::NoValue are references', () => {
    const text = withFunction('CodeUri: fn', 'Layers: [!Ref Arn, !If [Never, !Ref Deps, !Ref AWS::NoValue], !Ref Deps]').replace(
      'Resources:',
      'Conditions:\n  Never: !Equals [a, b]\nResources:'
    );
    expect(discover(text).functions[0]?.layers).toEqual([
      { kind: 'external', ref: 'arn:aws:lambda:us-east-1:123456789012:layer:x:1' },
      { kind: 'template', name: 'Deps' }
    ]);
  });
});

describe('Architectures: a list with exactly one known value', () => {
  test.each([
    ['Architectures: arm64', 'Architectures must be a list (e.g. [arm64]), got "arm64"'],
    ['Architectures: []', 'a function has exactly one architecture: Architectures must list one of x86_64, arm64'],
    ['Architectures: [arm64, x86_64]', 'a function has exactly one architecture: Architectures must list one of x86_64, arm64'],
    ['Architectures: [1]', 'unknown architecture 1: expected x86_64 or arm64']
  ])('%s is refused, never built as x86_64', (written, message) => {
    expect(inputErrorFrom(() => discover(withFunction('CodeUri: fn', written))).message).toBe(`${TEMPLATE_FILE}:10: ${message}`);
  });

  test('CompatibleArchitectures as a scalar is refused too', () => {
    const text = lines(
      'Resources:',
      '  L:',
      '    Type: AWS::Serverless::LayerVersion',
      '    Properties: {ContentUri: l, CompatibleRuntimes: [python3.12], CompatibleArchitectures: arm64}'
    );
    expect(inputErrorFrom(() => discover(text)).message).toBe(
      `${TEMPLATE_FILE}:2: CompatibleArchitectures must be a list (e.g. [arm64]), got "arm64"`
    );
  });
});

describe('CodeUri and ContentUri: a path or an S3 location', () => {
  test.each([
    ['CodeUri: 42', 'got 42'],
    ['CodeUri: [fn]', 'got ["fn"]'],
    ['CodeUri: {Bucket: b}', 'got {"Bucket":"b"}'],
    ['CodeUri: ""', 'got ""'],
    ['Description: no code', 'is missing']
  ])('%s is refused', (written, detail) => {
    expect(inputErrorFrom(() => discover(withFunction(written))).message).toBe(
      `${TEMPLATE_FILE}:10: CodeUri must be a local path, an s3:// URI or an S3 location {Bucket, Key}: ${detail}`
    );
  });

  test.each([['ContentUri: 42'], ['ContentUri: true']])('layer %s is refused, not "no layer built from a local folder"', (written) => {
    const text = lines(
      'Resources:',
      '  L:',
      '    Type: AWS::Serverless::LayerVersion',
      `    Properties: {${written}, CompatibleRuntimes: [python3.12]}`
    );
    expect(inputErrorFrom(() => discover(text)).message).toMatch(
      /^\/repo\/template.yaml:2: ContentUri must be a local path, an s3:\/\/ URI or an S3 location \{Bucket, Key\}: got /
    );
  });

  test.each([['CodeUri: s3://b/k.zip'], ['CodeUri: {Bucket: b, Key: k.zip}'], ['CodeUri: {Bucket: b, Key: k.zip, Version: "3"}']])(
    '%s is skipped as S3 code',
    (written) => {
      const app = discover(withFunction(written));
      expect(app.functions).toEqual([]);
      expect(app.skipped).toEqual(['Fn: its code is in S3, so it is not built']);
    }
  );
});

describe('parameters in properties', () => {
  test('Runtime: !Ref Runtime in Globals resolves from the Default, or an override', () => {
    const text = lines(
      'Parameters:',
      '  Runtime: {Type: String, Default: python3.12}',
      '  Arch: {Type: String, Default: arm64}',
      '  Code: {Type: String, Default: functions/fn}',
      'Globals:',
      '  Function:',
      '    Runtime: !Ref Runtime',
      '    Architectures: [!Ref Arch]',
      'Resources:',
      ...layerYaml('Deps', { compatibleRuntimes: ['python3.12', 'python3.13'] }),
      '  Fn:',
      '    Type: AWS::Serverless::Function',
      '    Properties: {CodeUri: !Ref Code, Handler: app.handler, Layers: [!Ref Deps]}'
    );
    expect(discover(text).functions[0]).toMatchObject({ runtime: 'python3.12', architecture: 'arm64', codeDir: '/repo/functions/fn' });
    const app = discover(text, undefined, undefined, { overrides: { Runtime: 'python3.13', Arch: 'x86_64' } });
    expect(app.functions[0]).toMatchObject({ runtime: 'python3.13', architecture: 'x86_64' });
    expect(app.layers[0]).toMatchObject({ runtime: 'python3.13', architecture: 'x86_64' });
  });

  test('an unresolvable property skips its resource with a message naming the parameter to set, never [object Object]', () => {
    const text = lines(
      'Parameters:',
      '  Runtime: {Type: String}',
      '  P: {Type: String}',
      '  Content: {Type: String}',
      'Globals:',
      '  Function: {Runtime: !Ref Runtime}',
      'Resources:',
      ...layerYaml('Deps', { buildMethod: 'python3.12' }),
      '  ArchLayer:',
      '    Type: AWS::Serverless::LayerVersion',
      '    Properties: {ContentUri: layers/a, CompatibleRuntimes: [python3.12]}',
      '    Metadata: {BuildArchitecture: !Ref P}',
      '  RefLayer:',
      '    Type: AWS::Serverless::LayerVersion',
      '    Properties: {ContentUri: !Ref Content, CompatibleRuntimes: [python3.12]}',
      ...functionYaml('Fn')
    );
    const app = discover(text);
    expect(app.layers.map((l) => l.name)).toEqual(['Deps']);
    expect(app.skipped).toEqual([
      'ArchLayer: BuildArchitecture: !Ref P: parameter P has no value: set it with --parameter-overrides P=<value> (or the parameter-overrides input, or samconfig.toml)',
      'RefLayer: ContentUri: !Ref Content: parameter Content has no value: set it with --parameter-overrides Content=<value> (or the parameter-overrides input, or samconfig.toml)',
      'Fn: Runtime: !Ref Runtime: parameter Runtime has no value: set it with --parameter-overrides Runtime=<value> (or the parameter-overrides input, or samconfig.toml)'
    ]);
    expect(app.skipped.join('\n')).not.toContain('[object Object]');
  });

  test('!If, !FindInMap, !Sub and !Select pick the function properties', () => {
    const text = lines(
      'Parameters:',
      '  Env: {Type: String, Default: prod, AllowedValues: [dev, prod]}',
      '  Dirs: {Type: CommaDelimitedList, Default: "functions/a,functions/b"}',
      'Conditions:',
      '  IsProd: !Equals [!Ref Env, prod]',
      'Mappings:',
      '  Runtimes: {prod: {Python: python3.13}, dev: {Python: python3.12}}',
      'Resources:',
      ...layerYaml('Deps', { buildMethod: 'python3.13' }),
      '  Fn:',
      '    Type: AWS::Serverless::Function',
      '    Properties:',
      '      CodeUri: !Select [1, !Ref Dirs]',
      '      Handler: !Sub "${Env}.handler"',
      '      Runtime: !FindInMap [Runtimes, !Ref Env, Python]',
      '      Architectures: [!If [IsProd, arm64, x86_64]]',
      '      Layers: [!Ref Deps]'
    );
    expect(discover(text).functions[0]).toMatchObject({
      codeDir: '/repo/functions/b',
      handler: 'prod.handler',
      runtime: 'python3.13',
      architecture: 'arm64'
    });
  });

  test('an unsupported runtime fails only a function that would be built', () => {
    const skipped = discover(withFunction('CodeUri: s3://b/k.zip').replace('python3.12\n      Handler', 'python9.9\n      Handler'));
    expect(skipped.skipped).toEqual(['Fn: its code is in S3, so it is not built']);
    const built = withFunction('CodeUri: fn').replace('python3.12\n      Handler', 'python9.9\n      Handler');
    expect(inputErrorFrom(() => discover(built)).message).toContain(':10: unknown or unsupported runtime "python9.9"');
  });
});

describe('AWS::Lambda::Function and AWS::Lambda::LayerVersion', () => {
  const text = lines(
    'Resources:', // 1
    '  Deps:', // 2
    '    Type: AWS::Lambda::LayerVersion', // 3
    '    Properties: {Content: layers/deps, CompatibleRuntimes: [python3.12]}', // 4
    '  Fn:', // 5
    '    Type: AWS::Lambda::Function', // 6
    '    Properties: {Code: functions/fn, Handler: app.handler, Runtime: python3.12, Architectures: [arm64], Layers: [!Ref Deps]}', // 7
    '  FromS3:', // 8
    '    Type: AWS::Lambda::Function', // 9
    '    Properties: {Code: {S3Bucket: b, S3Key: k}, Handler: app.handler, Runtime: python3.12}', // 10
    '  Inline:', // 11
    '    Type: AWS::Lambda::Function', // 12
    "    Properties: {Code: {ZipFile: 'def h(e, c): pass'}, Handler: index.h, Runtime: python3.12}", // 13
    '  Image:', // 14
    '    Type: AWS::Lambda::Function', // 15
    '    Properties: {PackageType: Image, Code: {ImageUri: repo:tag}}', // 16
    '  Node:', // 17
    '    Type: AWS::Lambda::Function', // 18
    '    Properties: {Code: web, Handler: index.h, Runtime: nodejs22.x}', // 19
    '  S3Layer:', // 20
    '    Type: AWS::Lambda::LayerVersion', // 21
    '    Properties: {Content: {S3Bucket: b, S3Key: k}}' // 22
  );

  test('local Code and Content are built like their Serverless counterparts; the others are listed as skipped', () => {
    const app = discover(text);
    expect(app.layers.map((l) => [l.name, l.contentDir, l.runtime, l.architecture])).toEqual([
      ['Deps', '/repo/layers/deps', 'python3.12', 'arm64']
    ]);
    expect(app.functions).toEqual([
      {
        name: 'Fn',
        codeDir: '/repo/functions/fn',
        handler: 'app.handler',
        runtime: 'python3.12',
        architecture: 'arm64',
        layers: [{ kind: 'template', name: 'Deps' }],
        requirementsFile: '/repo/functions/fn/requirements.txt',
        location: at(5)
      }
    ]);
    expect(app.skipped).toEqual([
      'FromS3: its code is in S3, so it is not built',
      'Inline: inline code, so nothing is built',
      'Image: an image function (PackageType Image), not built here',
      'Node: runtime nodejs22.x is not Python',
      'S3Layer: its code is in S3, so it is not built'
    ]);
  });

  test('Globals.Function does not apply to AWS::Lambda::Function', () => {
    const globals = lines('Globals:', '  Function: {Runtime: python3.13, Architectures: [x86_64]}') + text;
    expect(discover(globals).functions[0]).toMatchObject({ runtime: 'python3.12', architecture: 'arm64' });
  });

  test('Code of another shape is refused', () => {
    const bad = text.replace('{Code: functions/fn,', '{Code: {Bucket: b, Key: k},');
    expect(inputErrorFrom(() => discover(bad)).message).toBe(
      `${TEMPLATE_FILE}:5: Code must be a local path, an s3:// URI or an S3 location {S3Bucket, S3Key}: got {"Bucket":"b","Key":"k"}`
    );
  });
});
