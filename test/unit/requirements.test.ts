import { parseRequirements, projectOf, type Requirement } from '../../src/plan/requirements.js';
import { normalizeName } from '../../src/shared/package-names.js';
import { inputErrorFrom } from './fixtures.js';

const FILE = '/repo/layers/deps/requirements.txt';

function only(text: string): Requirement {
  const { requirements } = parseRequirements(text, FILE);
  expect(requirements).toHaveLength(1);
  const [first] = requirements;
  if (!first) throw new Error('no requirement');
  return first;
}

describe('parseRequirements', () => {
  test('a typical file: comments, blank lines, options and requirements', () => {
    const text = [
      '# Layer dependencies', // 1
      '', // 2
      '--index-url https://pypi.org/simple', // 3
      'requests==2.31.0  # HTTP', // 4
      '   ', // 5
      'Foo_Bar.baz>=1.0', // 6
      '--only-binary :all:', // 7
      'urllib3[socks]==2.2.1' // 8
    ].join('\n');
    expect(parseRequirements(text, FILE)).toEqual({
      requirements: [
        { name: 'requests', line: 'requests==2.31.0', pinned: true, lineNumber: 4 },
        { name: 'foo-bar-baz', line: 'foo-bar-baz>=1.0', pinned: false, lineNumber: 6 },
        { name: 'urllib3', line: 'urllib3[socks]==2.2.1', pinned: true, lineNumber: 8 }
      ],
      options: ['--index-url https://pypi.org/simple', '--only-binary :all:']
    });
  });

  test('a # with no space before it is not a comment', () => {
    // pip only treats # as a comment at the start or after whitespace.
    expect(only('pkg==1.0#egg').line).toBe('pkg==1.0#egg');
  });

  test('CRLF line endings', () => {
    const { requirements } = parseRequirements('a==1\r\nb==2\r\n', FILE);
    expect(requirements.map((r) => [r.line, r.lineNumber])).toEqual([
      ['a==1', 1],
      ['b==2', 2]
    ]);
  });

  test('line continuations join lines; numbers stay those of the physical lines', () => {
    const text = ['requests\\', '==2.31.0', 'six \\', '  == 1.16.0', 'idna==3.6'].join('\n');
    const { requirements } = parseRequirements(text, FILE);
    expect(requirements.map((r) => [r.line, r.lineNumber])).toEqual([
      ['requests==2.31.0', 1],
      ['six==1.16.0', 3],
      ['idna==3.6', 5]
    ]);
  });

  test('a continuation on the last line before the final newline', () => {
    expect(only('six==1.16.0 \\\n').line).toBe('six==1.16.0');
  });

  test('options are kept whitespace-normalized and in order', () => {
    const text = ['--extra-index-url   https://example.com/simple', 'a==1', '--find-links ./wheels', '--pre', '--no-binary=:none:'].join(
      '\n'
    );
    expect(parseRequirements(text, FILE).options).toEqual([
      '--extra-index-url https://example.com/simple',
      '--find-links ./wheels',
      '--pre',
      '--no-binary=:none:'
    ]);
  });

  test.each([
    ['Foo_Bar.baz==1.0', 'foo-bar-baz', 'foo-bar-baz==1.0'],
    ['PyYAML==6.0.1', 'pyyaml', 'pyyaml==6.0.1'],
    ['zope.interface >= 6', 'zope-interface', 'zope-interface>=6'],
    ['a__b--c..d', 'a-b-c-d', 'a-b-c-d'],
    ['requests [socks, security] == 2.31.0', 'requests', 'requests[socks,security]==2.31.0'],
    ["pywin32==306 ; sys_platform == 'win32'", 'pywin32', "pywin32==306 ; sys_platform == 'win32'"],
    ['numpy>=1.26,<2', 'numpy', 'numpy>=1.26,<2'],
    ['x', 'x', 'x']
  ])('%s -> name %s, line %s', (text, name, line) => {
    expect(only(text)).toMatchObject({ name, line, lineNumber: 1 });
  });

  test.each([
    ['a==1.0', true],
    ['a == 1.0', true],
    ['a==1.0.post1', true],
    ['a==1.0+local', true],
    ['a===1.0', true],
    ['a[x]==1', true],
    ['a==1.0 ; python_version < "3.13"', true],
    ['a>=1', false],
    ['a==1.*', false],
    ['a~=1.0', false],
    ['a!=1.0', false],
    ['a<=1.0', false],
    ['a==1.0,!=1.1', false],
    ['a>=1,<2', false],
    ['a', false],
    ['a[x]', false]
  ])('%s pinned: %s', (text, pinned) => {
    expect(only(text).pinned).toBe(pinned);
  });

  // Regression (fixed): the pin test /(^|[^=!<>~])===?[^=,*;]+(;|$)/ also matches the "==" of an environment marker,
  // so a requirement with no == pin but a marker comparing with == is reported as pinned.
  test.each([['a>=1 ; python_version == "3.12"'], ['a ; sys_platform == "linux"']])(
    '%s is not pinned (the == is in the marker)',
    (text) => {
      expect(only(text).pinned).toBe(false);
    }
  );

  // Regression (fixed): pip-compile --generate-hashes output: "pkg==1.0 --hash=sha256:..." is pinned, but the
  // whitespace-stripped spec "==2.31.0--hash=sha256:..." fails the pin test, so plan warns "not pinned".
  test('a pinned requirement with --hash options is pinned', () => {
    const text = ['requests==2.31.0 \\', '    --hash=sha256:942c5a758f98d790eaed1a29cb6eefc7ffb0d1cf7af05c3d2791656dbd6ad1e1', ''].join(
      '\n'
    );
    expect(only(text)).toMatchObject({ name: 'requests', pinned: true });
  });

  // Regression (fixed): all whitespace is removed from the rest of the line, including inside environment markers,
  // so 'foo==1.0 ; "linux" in sys_platform' becomes 'foo==1.0;"linux"insys_platform', which is no
  // longer a valid marker (the line is passed to `pip wheel` for allow-sdist projects).
  test('whitespace that separates marker words is kept', () => {
    expect(only('foo==1.0 ; "linux" in sys_platform').line).toMatch(/"linux" in sys_platform/);
  });

  test.each([
    ['-r other.txt', 3],
    ['--requirement other.txt', 3],
    ['--requirement=other.txt', 3],
    ['-c constraints.txt', 3],
    ['--constraint constraints.txt', 3],
    ['-e .', 3],
    ['-e git+https://github.com/psf/requests.git#egg=requests', 3],
    ['--editable ./pkg', 3]
  ])('"%s" is refused with the file and line', (include, line) => {
    const error = inputErrorFrom(() => parseRequirements(['a==1', '# comment', include, 'b==2'].join('\n'), FILE));
    expect(error.location).toEqual({ file: FILE, line });
    expect(error.message).toBe(
      `${FILE}:${line}: "${include}" is not supported: list every requirement in this file, so the build key covers it`
    );
  });

  // Regression (fixed): INCLUDE = /^(-r|...|-c|...|-e|...)\b/ needs a word boundary after the flag, so the attached
  // form pip also accepts ("-rother.txt", "-cconstraints.txt") is not refused: it lands in `options`
  // and pip then reads the included file, which the build key does not cover.
  test.each([['-rother.txt'], ['-cconstraints.txt']])('the attached form "%s" is refused too', (include) => {
    expect(() => parseRequirements(`a==1\n${include}\n`, FILE)).toThrow(/is not supported/);
  });

  test.each([
    ['https://example.com/pkg-1.0-py3-none-any.whl'],
    ['http://example.com/pkg.tar.gz'],
    ['file:///tmp/pkg.whl'],
    ['./local/pkg'],
    ['../pkg'],
    ['/abs/pkg-1.0.tar.gz'],
    ['.']
  ])('"%s" (a URL or path) is refused with the file and line', (written) => {
    const error = inputErrorFrom(() => parseRequirements(`a==1\n${written}\n`, FILE));
    expect(error.location).toEqual({ file: FILE, line: 2 });
    expect(error.message).toBe(`${FILE}:2: "${written}" is not a requirement by project name (paths and URLs are not supported)`);
  });

  // Regression (fixed): only lines starting with ".", "/", "file:" or "http(s):" count as paths/URLs, so a VCS URL or a
  // relative path without "./" is read as a project: "git+https://..." becomes a requirement named "git",
  // "wheels/foo-1.0-py3-none-any.whl" one named "wheels". pip reads both as a URL / a file path.
  test.each([['git+https://github.com/psf/requests.git'], ['wheels/foo-1.0-py3-none-any.whl']])(
    '"%s" is refused as a URL or path',
    (written) => {
      expect(() => parseRequirements(`a==1\n${written}\n`, FILE)).toThrow(/paths and URLs are not supported/);
    }
  );

  test.each([
    ['empty', ''],
    ['only blank lines', '\n\n  \n'],
    ['only comments', '# nothing\n  # still nothing\n'],
    ['only options', '--index-url https://pypi.org/simple\n']
  ])('a file that is %s throws, naming the file', (_label, text) => {
    const error = inputErrorFrom(() => parseRequirements(text, FILE));
    expect(error.message).toBe(`${FILE}: lists no requirement`);
    expect(error.location).toEqual({ file: FILE });
  });
});

describe('normalizeName', () => {
  test.each([
    ['Foo_Bar.baz', 'foo-bar-baz'],
    ['FOO', 'foo'],
    ['a-_.b', 'a-b'],
    ['already-normal', 'already-normal']
  ])('%s -> %s', (name, expected) => {
    expect(normalizeName(name)).toBe(expected);
  });
});

describe('projectOf', () => {
  test.each([
    ["Foo[x]>=1; python_version>'3'", 'foo'],
    ['nosuch==1.0', 'nosuch'],
    ['Foo_Bar.baz~=2.0', 'foo-bar-baz'],
    ['requests', 'requests'],
    ['a!=1', 'a'],
    ['a<2', 'a'],
    ['pkg ; sys_platform == "linux"', 'pkg']
  ])('%s -> %s', (requirement, expected) => {
    expect(projectOf(requirement)).toBe(expected);
  });
});
