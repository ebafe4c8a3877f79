import type { App } from '../../src/template/app-model.js';
import { applyGlobals, resolveInside } from '../../src/template/discover.js';
import { InputError } from '../../src/shared/errors.js';
import { SUPPORTED_RUNTIMES } from '../../src/lambda/platform.js';
import { at, discover, functionYaml, inputErrorFrom, layerYaml, lines, resources, ROOT, TEMPLATE_FILE, thrownBy } from './fixtures.js';

const EXPECTED_RUNTIMES = SUPPORTED_RUNTIMES.join(', ');

function layerNamed(app: App, name: string) {
  const layer = app.layers.find((l) => l.name === name);
  if (!layer) throw new Error(`no layer ${name} in ${app.layers.map((l) => l.name).join(', ')}`);
  return layer;
}

function functionNamed(app: App, name: string) {
  const fn = app.functions.find((f) => f.name === name);
  if (!fn) throw new Error(`no function ${name} in ${app.functions.map((f) => f.name).join(', ')}`);
  return fn;
}

describe('discoverApp: a basic app', () => {
  const text = lines(
    'Transform: AWS::Serverless-2016-10-31', // 1
    'Resources:', // 2
    '  DepsLayer:', // 3
    '    Type: AWS::Serverless::LayerVersion', // 4
    '    Properties:', // 5
    '      LayerName: !Sub "${AWS::StackName}-deps"', // 6
    '      ContentUri: layers/deps/', // 7
    '      CompatibleRuntimes: [python3.12]', // 8
    '  Fn:', // 9
    '    Type: AWS::Serverless::Function', // 10
    '    Properties:', // 11
    '      CodeUri: functions/fn/', // 12
    '      Handler: app.handler', // 13
    '      Runtime: python3.12', // 14
    '      Layers: [!Ref DepsLayer]', // 15
    '  Bucket:', // 16
    '    Type: AWS::S3::Bucket' // 17
  );

  test('finds the layer and the function with resolved paths and lines', () => {
    expect(discover(text)).toEqual({
      templateFile: TEMPLATE_FILE,
      rootDir: '/repo',
      layers: [
        {
          name: 'DepsLayer',
          layerName: '${AWS::StackName}-deps',
          contentDir: '/repo/layers/deps',
          requirementsFile: '/repo/layers/deps/requirements.txt',
          runtime: 'python3.12',
          architecture: 'x86_64',
          compatibleRuntimes: ['python3.12'],
          compatibleArchitectures: [],
          location: { file: TEMPLATE_FILE, line: 3 }
        }
      ],
      functions: [
        {
          name: 'Fn',
          codeDir: '/repo/functions/fn',
          handler: 'app.handler',
          runtime: 'python3.12',
          architecture: 'x86_64',
          layers: [{ kind: 'template', name: 'DepsLayer' }],
          requirementsFile: '/repo/functions/fn/requirements.txt',
          location: { file: TEMPLATE_FILE, line: 9 }
        }
      ],
      skipped: []
    });
  });

  test('paths resolve against the template folder, not the root', () => {
    const app = discover(
      resources(
        layerYaml('Deps', { contentUri: '../shared/deps', buildMethod: 'python3.12' }),
        functionYaml('Fn', { runtime: 'python3.12', codeUri: 'src' })
      ),
      '/repo/app/template.yaml'
    );
    expect(layerNamed(app, 'Deps').contentDir).toBe('/repo/shared/deps');
    expect(functionNamed(app, 'Fn').codeDir).toBe('/repo/app/src');
    expect(functionNamed(app, 'Fn').requirementsFile).toBe('/repo/app/src/requirements.txt');
  });

  test('LayerName: a plain string is kept, another intrinsic is not', () => {
    const app = discover(
      lines(
        'Resources:',
        '  Plain:',
        '    Type: AWS::Serverless::LayerVersion',
        '    Properties: {LayerName: deps, ContentUri: a, CompatibleRuntimes: [python3.12]}',
        '  Joined:',
        '    Type: AWS::Serverless::LayerVersion',
        "    Properties: {LayerName: !Join ['-', [a, b]], ContentUri: b, CompatibleRuntimes: [python3.12]}"
      )
    );
    expect(layerNamed(app, 'Plain').layerName).toBe('deps');
    expect(layerNamed(app, 'Joined').layerName).toBeUndefined();
  });

  test('LicenseInfo and FunctionName are kept as written, !Sub in either form', () => {
    const app = discover(
      lines(
        'Resources:',
        '  L:',
        '    Type: AWS::Serverless::LayerVersion',
        '    Properties: {LayerName: !Sub ["${AWS::StackName}-l", {}], LicenseInfo: MIT, ContentUri: a, CompatibleRuntimes: [python3.12]}',
        '  Named:',
        '    Type: AWS::Serverless::Function',
        '    Properties: {FunctionName: !Sub "${AWS::StackName}-named", CodeUri: f, Handler: app.handler, Runtime: python3.12}',
        '  Plain:',
        '    Type: AWS::Serverless::Function',
        '    Properties: {FunctionName: plain-fn, CodeUri: g, Handler: app.handler, Runtime: python3.12}',
        '  Unnamed:',
        '    Type: AWS::Serverless::Function',
        '    Properties: {CodeUri: h, Handler: app.handler, Runtime: python3.12}'
      )
    );
    expect(layerNamed(app, 'L')).toMatchObject({ layerName: '${AWS::StackName}-l', licenseInfo: 'MIT' });
    expect(functionNamed(app, 'Named').functionName).toBe('${AWS::StackName}-named');
    expect(functionNamed(app, 'Plain').functionName).toBe('plain-fn');
    expect(functionNamed(app, 'Unnamed')).not.toHaveProperty('functionName');
  });
});

describe('discoverApp: layer resource types', () => {
  test('AWS::Serverless::LayerVersion reads ContentUri', () => {
    const app = discover(resources(layerYaml('L', { contentUri: 'layers/sam', buildMethod: 'python3.12' })));
    expect(layerNamed(app, 'L').contentDir).toBe('/repo/layers/sam');
  });

  test('AWS::Lambda::LayerVersion reads Content', () => {
    const app = discover(
      resources(layerYaml('L', { type: 'AWS::Lambda::LayerVersion', contentUri: 'layers/cfn', compatibleRuntimes: ['python3.11'] }))
    );
    expect(layerNamed(app, 'L')).toMatchObject({ contentDir: '/repo/layers/cfn', runtime: 'python3.11' });
  });

  test.each([
    ['AWS::Lambda::LayerVersion', 'ContentUri', 'Content', '{S3Bucket, S3Key}'],
    ['AWS::Serverless::LayerVersion', 'Content', 'ContentUri', '{Bucket, Key}']
  ])('a %s with %s instead of %s is refused, not skipped', (type, written, expected, s3) => {
    const text = lines(
      'Resources:',
      '  L:',
      `    Type: ${type}`,
      `    Properties: {${written}: layers/a, CompatibleRuntimes: [python3.12]}`
    );
    expect(inputErrorFrom(() => discover(text)).message).toBe(
      `${TEMPLATE_FILE}:2: ${expected} must be a local path, an s3:// URI or an S3 location ${s3}: is missing`
    );
  });

  test.each([
    ['an s3:// URI', 'ContentUri: s3://bucket/layer.zip'],
    ['an S3 location object', 'ContentUri: {Bucket: b, Key: k}']
  ])('a layer whose content is %s is skipped', (_label, property) => {
    const app = discover(
      lines(
        'Resources:',
        '  Remote:',
        '    Type: AWS::Serverless::LayerVersion',
        `    Properties: {${property}}`,
        ...layerYaml('Local', { buildMethod: 'python3.12' })
      )
    );
    expect(app.layers.map((l) => l.name)).toEqual(['Local']);
    expect(app.skipped).toEqual(['Remote: its code is in S3, so it is not built']);
  });

  test('a template whose only layer is in S3 lists it as skipped and builds nothing', () => {
    const text = lines('Resources:', '  Remote:', '    Type: AWS::Serverless::LayerVersion', '    Properties: {ContentUri: s3://b/k.zip}');
    const app = discover(text);
    expect(app.layers).toEqual([]);
    expect(app.skipped).toEqual(['Remote: its code is in S3, so it is not built']);
  });

  test('a template with functions and no layer builds its functions', () => {
    const app = discover(resources(functionYaml('Fn', { runtime: 'python3.12' })));
    expect(app.layers).toEqual([]);
    expect(app.functions.map((f) => f.name)).toEqual(['Fn']);
  });

  test('a function whose code is in S3 is skipped before its runtime is checked', () => {
    const app = discover(
      lines(
        'Resources:',
        '  Fn:',
        '    Type: AWS::Serverless::Function',
        '    Properties: {CodeUri: s3://b/k.zip, Handler: a.b, Runtime: python2.7}'
      )
    );
    expect(app.functions).toEqual([]);
    expect(app.skipped).toEqual(['Fn: its code is in S3, so it is not built']);
  });

  test('a template with no Resources section throws', () => {
    const error = inputErrorFrom(() => discover('Outputs: {}\n'));
    expect(error.message).toBe(`${TEMPLATE_FILE}: the template has no Resources section`);
  });
});

describe('discoverApp: Globals.Function', () => {
  const text = lines(
    'Globals:', // 1
    '  Function:', // 2
    '    Runtime: python3.11', // 3
    '    Architectures: [arm64]', // 4
    '    Handler: index.handler', // 5
    '    Layers: [!Ref BaseLayer]', // 6
    'Resources:', // 7
    ...layerYaml('BaseLayer'), // 8-11
    ...layerYaml('ExtraLayer'), // 12-15
    ...functionYaml('Inherits', { layers: ['!Ref ExtraLayer'] }),
    '  Overrides:',
    '    Type: AWS::Serverless::Function',
    '    Properties: {CodeUri: fn, Handler: app.main, Runtime: python3.11}'
  );

  test('Runtime, Architectures and Handler come from Globals; Layers are prepended', () => {
    const app = discover(text);
    expect(functionNamed(app, 'Inherits')).toMatchObject({
      runtime: 'python3.11',
      architecture: 'arm64',
      handler: 'app.handler',
      layers: [
        { kind: 'template', name: 'BaseLayer' },
        { kind: 'template', name: 'ExtraLayer' }
      ]
    });
    expect(functionNamed(app, 'Overrides')).toMatchObject({
      runtime: 'python3.11',
      architecture: 'arm64',
      handler: 'app.main',
      layers: [{ kind: 'template', name: 'BaseLayer' }]
    });
  });

  test('layers with no runtime of their own take it from the functions using them', () => {
    const app = discover(text);
    expect(layerNamed(app, 'BaseLayer')).toMatchObject({ runtime: 'python3.11', architecture: 'arm64' });
    expect(layerNamed(app, 'ExtraLayer')).toMatchObject({ runtime: 'python3.11', architecture: 'arm64' });
  });

  test('a function Runtime overrides the global one', () => {
    const app = discover(
      lines(
        'Globals:',
        '  Function: {Runtime: python3.11}',
        'Resources:',
        ...layerYaml('L', { buildMethod: 'python3.12' }),
        ...functionYaml('Fn', { runtime: 'python3.12', layers: ['!Ref L'] })
      )
    );
    expect(functionNamed(app, 'Fn').runtime).toBe('python3.12');
  });

  test('Globals of other resource types are not applied to functions', () => {
    const error = inputErrorFrom(() =>
      discover(
        lines(
          'Globals:',
          '  Api: {Runtime: python3.12}',
          'Resources:',
          ...layerYaml('L', { buildMethod: 'python3.12' }),
          ...functionYaml('Fn')
        )
      )
    );
    expect(error.message).toBe(`${TEMPLATE_FILE}:10: the function has no Runtime (nor a Globals.Function Runtime)`);
  });
});

describe('applyGlobals', () => {
  test.each([
    ['a scalar is overridden', { Runtime: 'python3.11' }, { Runtime: 'python3.12' }, { Runtime: 'python3.12' }],
    ['a global-only key is inherited', { Timeout: 30 }, { Handler: 'a.b' }, { Timeout: 30, Handler: 'a.b' }],
    ['lists are concatenated, globals first', { Layers: ['g1', 'g2'] }, { Layers: ['r1'] }, { Layers: ['g1', 'g2', 'r1'] }],
    ['a list replaces a scalar', { Layers: 'x' }, { Layers: ['r1'] }, { Layers: ['r1'] }],
    ['maps are merged, the resource winning', { Tags: { a: '1', b: '2' } }, { Tags: { b: '3' } }, { Tags: { a: '1', b: '3' } }]
  ])('%s', (_label, globals, props, expected) => {
    expect(applyGlobals(globals, props)).toEqual(expected);
  });

  test('does not modify its inputs', () => {
    const globals = { Layers: ['g'], Tags: { a: '1' } };
    const props = { Layers: ['r'], Tags: { b: '2' } };
    applyGlobals(globals, props);
    expect(globals).toEqual({ Layers: ['g'], Tags: { a: '1' } });
    expect(props).toEqual({ Layers: ['r'], Tags: { b: '2' } });
  });

  // Regression (fixed): SAM merges maps recursively. The SAM Globals docs example: Globals Environment.Variables
  // {TABLE_NAME} plus a function's Environment.Variables {MESSAGE} gives both variables. applyGlobals
  // merges only one level, so the function's Variables replace the global ones and TABLE_NAME is lost.
  test('nested maps are merged like SAM does (Environment.Variables)', () => {
    const globals = { Environment: { Variables: { TABLE_NAME: 'data-table' } } };
    const props = { Environment: { Variables: { MESSAGE: 'Hello From SAM' } } };
    expect(applyGlobals(globals, props)).toEqual({
      Environment: { Variables: { TABLE_NAME: 'data-table', MESSAGE: 'Hello From SAM' } }
    });
  });
});

describe('discoverApp: function layer references', () => {
  const ARN = 'arn:aws:lambda:us-east-1:123456789012:layer:shared:4';
  const template = (layers: string[]) =>
    lines(
      'Parameters:', // 1
      '  SharedLayerArn: {Type: String}', // 2
      'Resources:', // 3
      ...layerYaml('Deps', { buildMethod: 'python3.12' }), // 4-9
      '  Bucket:', // 10
      '    Type: AWS::S3::Bucket', // 11
      ...functionYaml('Fn', { runtime: 'python3.12', layers }) // 12-
    );

  test.each([
    ['a !Ref to a template layer', '!Ref Deps', { kind: 'template', name: 'Deps' }],
    ['a !GetAtt of a template layer', '!GetAtt Deps.Arn', { kind: 'template', name: 'Deps' }],
    ['a literal ARN', ARN, { kind: 'external', ref: ARN }],
    ['a !Ref to a parameter', '!Ref SharedLayerArn', { kind: 'external', ref: 'parameter SharedLayerArn' }],
    [
      'a !Sub ARN, resolved for the default region',
      '!Sub "arn:aws:lambda:${AWS::Region}:123456789012:layer:x:1"',
      { kind: 'external', ref: 'arn:aws:lambda:us-east-1:123456789012:layer:x:1' }
    ],
    [
      'a !Sub ARN known only when deploying, kept as written',
      '!Sub "arn:aws:lambda:us-east-1:${AWS::AccountId}:layer:x:1"',
      { kind: 'external', ref: 'arn:aws:lambda:us-east-1:${AWS::AccountId}:layer:x:1' }
    ],
    ['an !ImportValue, kept as written', '!ImportValue SharedLayer', { kind: 'external', ref: '!ImportValue SharedLayer' }]
  ])('%s', (_label, written, expected) => {
    expect(functionNamed(discover(template([written])), 'Fn').layers).toEqual([expected]);
  });

  test('layers keep their written order', () => {
    const app = discover(template([ARN, '!Ref Deps', '!Ref SharedLayerArn']));
    expect(functionNamed(app, 'Fn').layers).toEqual([
      { kind: 'external', ref: ARN },
      { kind: 'template', name: 'Deps' },
      { kind: 'external', ref: 'parameter SharedLayerArn' }
    ]);
  });

  test('a !Ref to a missing name throws, naming the template and the function line', () => {
    const error = inputErrorFrom(() => discover(template(['!Ref Missing'])));
    expect(error.location).toEqual(at(12));
    expect(error.message).toBe(
      `${TEMPLATE_FILE}:12: !Ref Missing: no parameter, resource or pseudo-parameter of that name in the template`
    );
  });

  test('a !Ref to a resource that is not a layer throws', () => {
    const error = inputErrorFrom(() => discover(template(['!Ref Bucket'])));
    expect(error.message).toBe(`${TEMPLATE_FILE}:12: Layers: "Bucket" is a resource that is not a layer`);
  });
});

describe('discoverApp: which Python and architecture a layer is built for', () => {
  test.each([
    ['Metadata.BuildMethod', { buildMethod: 'python3.11' }, 'python3.11'],
    ['a single CompatibleRuntimes entry', { compatibleRuntimes: ['python3.10'] }, 'python3.10'],
    ['BuildMethod before CompatibleRuntimes', { buildMethod: 'python3.13', compatibleRuntimes: ['python3.12'] }, 'python3.13']
  ])('runtime from %s', (_label, options, runtime) => {
    const app = discover(resources(layerYaml('L', options)));
    expect(layerNamed(app, 'L').runtime).toBe(runtime);
  });

  test('runtime from the functions using it when CompatibleRuntimes lists several', () => {
    const app = discover(
      resources(
        layerYaml('L', { compatibleRuntimes: ['python3.11', 'python3.12'] }),
        functionYaml('A', { runtime: 'python3.12', layers: ['!Ref L'] }),
        functionYaml('B', { runtime: 'python3.12', layers: ['!Ref L'] })
      )
    );
    expect(layerNamed(app, 'L')).toMatchObject({ runtime: 'python3.12', compatibleRuntimes: ['python3.11', 'python3.12'] });
  });

  test('a BuildMethod that is not a Python runtime falls back to CompatibleRuntimes', () => {
    const app = discover(resources(layerYaml('L', { buildMethod: 'makefile', compatibleRuntimes: ['python3.12'] })));
    expect(layerNamed(app, 'L').runtime).toBe('python3.12');
  });

  test.each([
    ['Metadata.BuildArchitecture', { buildMethod: 'python3.12', buildArchitecture: 'arm64' }, 'arm64'],
    ['a single CompatibleArchitectures entry', { buildMethod: 'python3.12', compatibleArchitectures: ['arm64'] }, 'arm64'],
    ['nothing: the default', { buildMethod: 'python3.12' }, 'x86_64'],
    [
      'nothing decisive: several CompatibleArchitectures',
      { buildMethod: 'python3.12', compatibleArchitectures: ['x86_64', 'arm64'] },
      'x86_64'
    ]
  ])('architecture from %s', (_label, options, architecture) => {
    const app = discover(resources(layerYaml('L', options)));
    expect(layerNamed(app, 'L').architecture).toBe(architecture);
  });

  test('architecture from the functions using it', () => {
    const app = discover(
      resources(
        layerYaml('L', { buildMethod: 'python3.12' }),
        functionYaml('Fn', { runtime: 'python3.12', architectures: ['arm64'], layers: ['!Ref L'] })
      )
    );
    expect(layerNamed(app, 'L').architecture).toBe('arm64');
  });

  test('functions with different runtimes for one layer throw, naming the odd function', () => {
    const text = resources(
      layerYaml('L'), // 2-5
      functionYaml('A', { runtime: 'python3.11', layers: ['!Ref L'] }), // 6-13
      functionYaml('B', { runtime: 'python3.12', layers: ['!Ref L'] }) // 14-
    );
    const error = inputErrorFrom(() => discover(text));
    expect(error.location).toEqual(at(14));
    expect(error.message).toBe(
      `${TEMPLATE_FILE}:14: function B (python3.12, x86_64) uses layer L, which is built for python3.11, x86_64: ` +
        'compiled packages load only on the Python version and architecture they were built for'
    );
  });

  test('functions with different architectures for one layer throw', () => {
    const text = resources(
      layerYaml('L', { buildMethod: 'python3.12' }),
      functionYaml('A', { runtime: 'python3.12', architectures: ['arm64'], layers: ['!Ref L'] }),
      functionYaml('B', { runtime: 'python3.12', architectures: ['x86_64'], layers: ['!Ref L'] })
    );
    expect(inputErrorFrom(() => discover(text)).message).toContain(
      'function B (python3.12, x86_64) uses layer L, which is built for python3.12, arm64'
    );
  });

  test('a function on another Python than the layer BuildMethod throws', () => {
    const text = resources(
      layerYaml('L', { buildMethod: 'python3.12' }),
      functionYaml('Fn', { runtime: 'python3.11', layers: ['!Ref L'] })
    );
    expect(inputErrorFrom(() => discover(text)).message).toContain(
      'function Fn (python3.11, x86_64) uses layer L, which is built for python3.12, x86_64'
    );
  });

  test('no runtime anywhere throws, naming the layer line', () => {
    const text = resources(layerYaml('Unused', { compatibleRuntimes: ['python3.11', 'python3.12'] }));
    const error = inputErrorFrom(() => discover(text));
    expect(error.location).toEqual(at(2));
    expect(error.message).toBe(
      `${TEMPLATE_FILE}:2: cannot tell which Python to build the layer for: ` +
        'set Metadata.BuildMethod (e.g. python3.12) or a single CompatibleRuntimes entry'
    );
  });

  test.each([
    [
      'CompatibleArchitectures',
      { buildMethod: 'python3.12', compatibleArchitectures: ['amd64'] },
      'unknown architecture "amd64": expected x86_64 or arm64'
    ],
    [
      'BuildArchitecture',
      { buildMethod: 'python3.12', buildArchitecture: 'aarch64' },
      'unknown BuildArchitecture "aarch64": expected x86_64 or arm64'
    ]
  ])('an unknown layer %s throws', (_label, options, message) => {
    expect(inputErrorFrom(() => discover(resources(layerYaml('L', options)))).message).toBe(`${TEMPLATE_FILE}:2: ${message}`);
  });

  test.each([
    ['BuildMethod', { buildMethod: 'python3.99' }, 'python3.99'],
    ['CompatibleRuntimes', { compatibleRuntimes: ['python3.7'] }, 'python3.7']
  ])('an unknown Python runtime in the layer %s throws', (_label, options, runtime) => {
    const error = inputErrorFrom(() => discover(resources(layerYaml('L', options))));
    expect(error.message).toBe(`${TEMPLATE_FILE}:2: unknown or unsupported runtime "${runtime}": expected one of ${EXPECTED_RUNTIMES}`);
  });

  // Regression (fixed): a Node.js layer (BuildMethod nodejs22.x, CompatibleRuntimes [nodejs22.x]) in a mixed template makes
  // discovery throw 'unknown or unsupported runtime "nodejs22.x"', while Node.js functions are skipped with a reason
  // (discover.ts: "Runtimes of other languages are not ours to build"; App.skipped: "... other languages").
  test('a layer for another language is skipped like a function of another language', () => {
    const app = discover(
      resources(
        layerYaml('NodeLayer', { buildMethod: 'nodejs22.x', compatibleRuntimes: ['nodejs22.x'] }),
        layerYaml('PyLayer', { buildMethod: 'python3.12' })
      )
    );
    expect(app.layers.map((l) => l.name)).toEqual(['PyLayer']);
    expect(app.skipped).toHaveLength(1);
    expect(app.skipped[0]).toMatch(/^NodeLayer: /);
  });
});

describe('discoverApp: functions', () => {
  const withLayer = (...fn: string[][]) => resources(layerYaml('L', { buildMethod: 'python3.12' }), ...fn);

  test.each([['nodejs22.x'], ['java21'], ['provided.al2023'], ['ruby3.3'], ['dotnet8']])(
    'a %s function is skipped with a reason',
    (runtime) => {
      const app = discover(withLayer(functionYaml('Other', { runtime })));
      expect(app.functions).toEqual([]);
      expect(app.skipped).toEqual([`Other: runtime ${runtime} is not Python`]);
    }
  );

  test.each([['python3.99'], ['pyhton3.12'], ['python3'], ['python2.7']])('an unknown python runtime %s throws', (runtime) => {
    const error = inputErrorFrom(() => discover(withLayer(functionYaml('Fn', { runtime }))));
    expect(error.location).toEqual(at(8));
    expect(error.message).toBe(`${TEMPLATE_FILE}:8: unknown or unsupported runtime "${runtime}": expected one of ${EXPECTED_RUNTIMES}`);
  });

  test('image and inline functions are skipped', () => {
    const app = discover(
      withLayer([
        '  Image:',
        '    Type: AWS::Serverless::Function',
        '    Properties: {PackageType: Image, ImageUri: repo:tag}',
        '  Inline:',
        '    Type: AWS::Serverless::Function',
        "    Properties: {InlineCode: 'def h(e, c): pass', Handler: index.h, Runtime: python3.12}"
      ])
    );
    expect(app.functions).toEqual([]);
    expect(app.skipped).toEqual([
      'Image: an image function (PackageType Image), not built here',
      'Inline: inline code, so nothing is built'
    ]);
  });

  test.each([['s3://bucket/code.zip'], ['{Bucket: b, Key: k}']])('a function with CodeUri %s is skipped', (codeUri) => {
    const app = discover(withLayer(functionYaml('Remote', { runtime: 'python3.12', codeUri })));
    expect(app.functions).toEqual([]);
    expect(app.skipped).toEqual(['Remote: its code is in S3, so it is not built']);
  });

  test('a function with no Runtime at all throws', () => {
    const error = inputErrorFrom(() => discover(withLayer(functionYaml('Fn'))));
    expect(error.message).toBe(`${TEMPLATE_FILE}:8: the function has no Runtime (nor a Globals.Function Runtime)`);
  });

  test.each([['app.handler'], ['pkg.module.handler'], ['app_v2.lambda_handler']])('Handler %s is accepted', (handler) => {
    const app = discover(withLayer(functionYaml('Fn', { runtime: 'python3.12', handler })));
    expect(functionNamed(app, 'Fn').handler).toBe(handler);
  });

  test.each([
    ['app', '"app"'],
    ['app.', '"app."'],
    ['.handler', '".handler"'],
    ["'app.handler()'", '"app.handler()"'],
    ['123', '123']
  ])('Handler %s is refused', (written, shown) => {
    const error = inputErrorFrom(() => discover(withLayer(functionYaml('Fn', { runtime: 'python3.12', handler: written }))));
    expect(error.message).toBe(`${TEMPLATE_FILE}:8: Handler must look like "module.function", got ${shown}`);
  });

  test('a missing Handler is refused', () => {
    const text = withLayer(['  Fn:', '    Type: AWS::Serverless::Function', '    Properties: {CodeUri: fn, Runtime: python3.12}']);
    expect(inputErrorFrom(() => discover(text)).message).toBe(
      `${TEMPLATE_FILE}:8: Handler must look like "module.function", got no Handler`
    );
  });

  test('an unknown architecture throws', () => {
    const error = inputErrorFrom(() => discover(withLayer(functionYaml('Fn', { runtime: 'python3.12', architectures: ['x86'] }))));
    expect(error.message).toBe(`${TEMPLATE_FILE}:8: unknown architecture "x86": expected x86_64 or arm64`);
  });

  test('two architectures throw', () => {
    const error = inputErrorFrom(() =>
      discover(withLayer(functionYaml('Fn', { runtime: 'python3.12', architectures: ['x86_64', 'arm64'] })))
    );
    expect(error.message).toBe(`${TEMPLATE_FILE}:8: a function has exactly one architecture: Architectures must list one of x86_64, arm64`);
  });

  test('functions without Layers have none', () => {
    const app = discover(withLayer(functionYaml('Fn', { runtime: 'python3.12' })));
    expect(functionNamed(app, 'Fn').layers).toEqual([]);
  });
});

describe('discoverApp: paths outside the repository', () => {
  test.each([['../../etc'], ['..'], ['/etc'], ['../repo-sibling/layer']])('ContentUri %s throws', (contentUri) => {
    const error = inputErrorFrom(() => discover(resources(layerYaml('L', { contentUri, buildMethod: 'python3.12' }))));
    expect(error.location).toEqual(at(2));
    expect(error.message).toBe(`${TEMPLATE_FILE}:2: ContentUri "${contentUri}" points outside the repository (/repo)`);
  });

  test('CodeUri ../../etc throws', () => {
    const text = resources(
      layerYaml('L', { buildMethod: 'python3.12' }),
      functionYaml('Fn', { runtime: 'python3.12', codeUri: '../../etc' })
    );
    expect(inputErrorFrom(() => discover(text)).message).toBe(
      `${TEMPLATE_FILE}:8: CodeUri "../../etc" points outside the repository (/repo)`
    );
  });

  test.each([['.'], ['./layers/../layers/x'], ['..repo-like-name']])('ContentUri %s stays inside', (contentUri) => {
    expect(() => discover(resources(layerYaml('L', { contentUri, buildMethod: 'python3.12' })))).not.toThrow();
  });

  test('resolveInside returns the absolute path', () => {
    expect(resolveInside('/repo', '/repo/app', '../layers/x/', at(1), 'ContentUri')).toBe('/repo/layers/x');
    const error = thrownBy(() => resolveInside('/repo', '/repo/app', '../../x', { file: 'f.yaml', line: 7 }, 'CodeUri'));
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toBe('f.yaml:7: CodeUri "../../x" points outside the repository (/repo)');
  });
});

describe('discoverApp: what each resolved resource becomes (artifact source)', () => {
  const template = lines(
    'Parameters:',
    '  Method: {Type: String, Default: makefile}',
    '  Skip: {Type: String, Default: "yes"}',
    '  Bundle: {Type: String, Default: dist/code.zip}',
    'Conditions:',
    '  Skipping: !Equals [!Ref Skip, "yes"]',
    'Resources:',
    '  Made:',
    '    Type: AWS::Serverless::LayerVersion',
    '    Properties: {ContentUri: layers/made/, CompatibleRuntimes: [python3.12]}',
    '    Metadata: {BuildMethod: !Ref Method}',
    '  Zipped:',
    '    Type: AWS::Lambda::LayerVersion',
    '    Properties: {Content: !Sub "layers/${AWS::Region}.zip", CompatibleRuntimes: [python3.12]}',
    '  Fn::ForEach::Fns:',
    '    - Name',
    '    - [Kept, Other]',
    '    - ${Name}Fn:',
    '        Type: AWS::Serverless::Function',
    '        Properties: {CodeUri: "functions/${Name}/", Handler: app.handler, Runtime: python3.12}',
    '        Metadata: {SkipBuild: !If [Skipping, true, false]}',
    '  FromZip:',
    '    Type: AWS::Lambda::Function',
    '    Properties: {Code: !Ref Bundle, Handler: app.handler, Runtime: python3.12}',
    '  Plain:',
    '    Type: AWS::Serverless::Function',
    '    Properties: {CodeUri: functions/plain/, Handler: app.handler, Runtime: python3.12}',
    '    Metadata: {BuildMethod: python-uv}'
  );

  test('Metadata and paths are classified after parameters, conditions, !Sub and Fn::ForEach are resolved', () => {
    const app = discover(template, TEMPLATE_FILE, ROOT, { pseudo: new Map([['AWS::Region', 'eu-west-1']]) });
    expect(layerNamed(app, 'Made')).toMatchObject({ source: { kind: 'makefile' }, runtime: 'python3.12' });
    expect(layerNamed(app, 'Zipped')).toMatchObject({ source: { kind: 'zip' }, contentDir: '/repo/layers/eu-west-1.zip' });
    expect(functionNamed(app, 'KeptFn').source).toEqual({ kind: 'as-is', reason: 'Metadata.SkipBuild' });
    expect(functionNamed(app, 'OtherFn').source).toEqual({ kind: 'as-is', reason: 'Metadata.SkipBuild' });
    expect(functionNamed(app, 'FromZip')).toMatchObject({ source: { kind: 'zip' }, codeDir: '/repo/dist/code.zip' });
    expect(functionNamed(app, 'Plain').source).toEqual({ kind: 'python-uv' });
    expect(app.skipped).toEqual([]);
  });

  test('overridden parameters change what a resource becomes', () => {
    const app = discover(template, TEMPLATE_FILE, ROOT, { overrides: { Method: 'python3.12', Skip: 'no', Bundle: 'functions/bundle/' } });
    expect(layerNamed(app, 'Made').source).toBeUndefined();
    expect(functionNamed(app, 'KeptFn').source).toBeUndefined();
    expect(functionNamed(app, 'FromZip')).toMatchObject({ codeDir: '/repo/functions/bundle' });
    expect(functionNamed(app, 'FromZip').source).toBeUndefined();
  });

  test("a makefile layer for another language's runtimes is skipped, not built", () => {
    const app = discover(resources(layerYaml('Node', { buildMethod: 'makefile', compatibleRuntimes: ['nodejs20.x'] })));
    expect(app.layers).toEqual([]);
    expect(app.skipped).toEqual(['Node: a nodejs20.x layer is not Python, so it is not built']);
  });

  test("a function's Metadata.BuildMethod that is not a string is bad input at its line", () => {
    const text = lines(
      'Resources:',
      '  Fn:',
      '    Type: AWS::Serverless::Function',
      '    Properties: {CodeUri: functions/fn/, Handler: app.handler, Runtime: python3.12}',
      '    Metadata: {BuildMethod: [makefile]}'
    );
    const error = inputErrorFrom(() => discover(text));
    expect(error.location).toEqual(at(2));
    expect(error.message).toBe(`${TEMPLATE_FILE}:2: Metadata.BuildMethod must be a string, got ["makefile"]`);
  });
});
