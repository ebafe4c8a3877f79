import type { Distribution } from '../../src/artifact/distributions.js';
import { ruleBehind, topLevelModules } from '../../src/verify/import-check.js';

const dist = (...files: string[]): Distribution => ({ name: 'x', version: '1.0', distInfo: 'x-1.0.dist-info', files });

describe('topLevelModules', () => {
  test('packages and single-file modules from RECORD, sorted and unique', () => {
    const cffi = dist(
      '_cffi_backend.cpython-312-x86_64-linux-gnu.so',
      'cffi/__init__.py',
      'cffi/api.py',
      'cffi/__pycache__/api.cpython-312.pyc',
      'cffi-1.16.0.dist-info/METADATA',
      'cffi-1.16.0.dist-info/RECORD',
      'cffi.libs/libffi-3a37023d.so.8.1.2'
    );
    expect(topLevelModules(cffi)).toEqual(['_cffi_backend', 'cffi']);
  });

  test.each<[string, string[], string[]]>([
    ['a .py module', ['six.py'], ['six']],
    ['a sourceless .pyc module', ['six.pyc'], ['six']],
    ['.py and .pyc of one module', ['six.py', 'six.pyc'], ['six']],
    ['an extension with an ABI tag', ['_cffi_backend.cpython-312-x86_64-linux-gnu.so'], ['_cffi_backend']],
    ['an abi3 extension', ['_rust.abi3.so'], ['_rust']],
    ['a plain .so', ['_speedups.so'], ['_speedups']],
    ['a package', ['requests/__init__.py', 'requests/api.py'], ['requests']],
    ['a namespace package (no __init__.py)', ['google/protobuf/__init__.py'], ['google']],
    ['a package folder named data or libs (no dot)', ['data/__init__.py', 'libs/__init__.py'], ['data', 'libs']],
    ['a folder with a hyphen is not importable', ['my-pkg/__init__.py'], []],
    ['a folder starting with a digit is not importable', ['2to3/x.py'], []],
    ['*.dist-info', ['six-1.16.0.dist-info/METADATA', 'six-1.16.0.dist-info/RECORD'], []],
    ['*.data', ['pkg-1.0.data/scripts/tool'], []],
    ['*.libs', ['numpy.libs/libopenblas.so', 'scipy.libs/libgfortran.so.5'], []],
    ['__pycache__ at the top', ['__pycache__/six.cpython-312.pyc'], []],
    ['bin', ['bin/f2py', 'bin/normalizer'], []],
    ['paths outside the site folder', ['../../bin/tool', '../share/man/x.1'], []],
    ['other top-level files', ['README.md', 'six.pyi', 'distutils-precedence.pth', 'x.so.1', 'py.typed'], []],
    ['a .so whose name is not an identifier', ['lib-foo.so', '1abc.py'], []],
    ['nothing', [], []]
  ])('%s', (_label, files, expected) => {
    expect(topLevelModules(dist(...files))).toEqual(expected);
  });

  test('sorted by code point: capitals, then underscore, then lower case', () => {
    expect(
      topLevelModules(dist('yaml/__init__.py', '_yaml/__init__.py', 'PIL/__init__.py', 'cffi/__init__.py', 'six.py', 'PIL/Image.py'))
    ).toEqual(['PIL', '_yaml', 'cffi', 'six', 'yaml']);
  });
});

describe('ruleBehind', () => {
  const removed = (...entries: Array<[string, string]>) => new Map(entries);

  test.each<[string, string, Map<string, string>, string | undefined]>([
    ['a missing module file', "ModuleNotFoundError: No module named 'a.b'", removed(['a/b.py', 'tests']), 'tests'],
    ['a missing package', "ModuleNotFoundError: No module named 'a.b'", removed(['a/b/__init__.py', 'docs-examples']), 'docs-examples'],
    [
      'a file in a missing package',
      "ModuleNotFoundError: No module named 'a.b'",
      removed(['a/b/core.py', 'remove:a/b/**']),
      'remove:a/b/**'
    ],
    [
      'a missing extension module',
      "ModuleNotFoundError: No module named 'a.b'",
      removed(['a/b.cpython-312-x86_64-linux-gnu.so', 'remove:**/*.so']),
      'remove:**/*.so'
    ],
    [
      'a missing top-level module',
      "ModuleNotFoundError: No module named 'six'",
      removed(['six.py', 'provided-by:Core']),
      'provided-by:Core'
    ],
    ['a deep module', "ModuleNotFoundError: No module named 'pandas.tests.io'", removed(['pandas/tests/io/__init__.py', 'tests']), 'tests'],
    [
      'a name from a partially initialized module',
      "ImportError: cannot import name 'core' from partially initialized module 'pkg' (most likely due to a circular import) (/tmp/v/opt/python/pkg/__init__.py)",
      removed(['pkg/core.pyc', 'remove:pkg/core.pyc']),
      'remove:pkg/core.pyc'
    ],
    [
      'a name from a module',
      "ImportError: cannot import name 'util' from 'pkg.sub' (/tmp/v/opt/python/pkg/sub/__init__.py)",
      removed(['pkg/sub/util/__init__.py', 'tests']),
      'tests'
    ],
    [
      'a missing data file under the layer',
      "FileNotFoundError: [Errno 2] No such file or directory: '/tmp/x/opt/python/pkg/data/file.json'",
      removed(['pkg/data/file.json', 'remove:**/*.json']),
      'remove:**/*.json'
    ],
    [
      'a missing data file under a versioned site folder',
      "FileNotFoundError: [Errno 2] No such file or directory: '/tmp/x/opt/python/lib/python3.12/site-packages/pkg/data/file.json'",
      removed(['pkg/data/file.json', 'remove:**/*.json']),
      'remove:**/*.json'
    ],
    [
      'a missing folder whose files were removed',
      "FileNotFoundError: [Errno 2] No such file or directory: '/tmp/x/opt/python/pkg/examples'",
      removed(['pkg/examples/a.csv', 'docs-examples']),
      'docs-examples'
    ],
    ['nothing removed', "ModuleNotFoundError: No module named 'a.b'", removed(), undefined],
    [
      'only other paths removed',
      "ModuleNotFoundError: No module named 'a.b'",
      removed(['a/c.py', 'tests'], ['b/a.py', 'tests']),
      undefined
    ],
    [
      'a removed path that only shares a prefix',
      "ModuleNotFoundError: No module named 'a.b'",
      removed(['a/bc.py', 'tests'], ['a/b_c/__init__.py', 'tests']),
      undefined
    ],
    [
      'a removed parent package file',
      "ModuleNotFoundError: No module named 'a.b'",
      removed(['a/__init__.py', 'tests'], ['a.py', 'tests']),
      undefined
    ],
    [
      'a removed file in another folder of the same name',
      "ModuleNotFoundError: No module named 'b'",
      removed(['a/b.py', 'tests']),
      undefined
    ],
    [
      'a missing file that shares a prefix with a removed one',
      "FileNotFoundError: [Errno 2] No such file or directory: '/tmp/x/opt/python/pkg/data/file.json'",
      removed(['pkg/data/file.json5', 'remove:**/*.json5'], ['pkg/data/file.jsonl', 'remove:**/*.jsonl']),
      undefined
    ],
    ['an error that names nothing', 'OSError: libfoo.so.1: cannot open shared object file', removed(['a/b.py', 'tests']), undefined],
    ['a syntax error', 'SyntaxError: invalid syntax (app.py, line 3)', removed(['app.py', 'tests']), undefined]
  ])('%s', (_label, error, removedPaths, rule) => {
    expect(ruleBehind(error, removedPaths)).toBe(rule);
  });

  test('the first removed path that matches names the rule', () => {
    const paths = removed(['a/b/x.py', 'tests'], ['a/b/__init__.py', 'remove:a/**']);
    expect(ruleBehind("ModuleNotFoundError: No module named 'a.b'", paths)).toBe('tests');
  });

  // Regression (fixed): the file pattern takes the first "/python/" in the path, not the layer's site folder, so a
  // scratch folder below any folder named "python" (TMPDIR=/home/ci/python/tmp) hides the rule.
  test('a missing data file is found when the scratch folder is itself below a folder named python', () => {
    const error =
      "FileNotFoundError: [Errno 2] No such file or directory: '/home/ci/python/tmp/lambda-layers-verify-1/opt/python/pkg/data/file.json'";
    expect(ruleBehind(error, removed(['pkg/data/file.json', 'remove:**/*.json']))).toBe('remove:**/*.json');
  });
});
