import { InputError } from '../../src/shared/errors.js';
import { ALWAYS_KEEP, classifier, DEFAULT_RULES, ruleSet, type Classifier } from '../../src/slim/prune-rules.js';
import { inputErrorFrom } from './fixtures.js';

const RULE_NAMES = 'tests, type-stubs, c-sources, static-libs, docs-examples, pip-bookkeeping, scripts, pycache';

/** Folders that hold an __init__.py in these tests: botocore/docs is code, numpy/doc is not. */
const PACKAGES = new Set(['botocore', 'botocore/docs', 'numpy', 'pandas', 'pkg', 'pkg/examples']);
const isPackage = (folder: string) => PACKAGES.has(folder);

function classify(options: { disable?: string[]; remove?: string[]; keep?: string[] } = {}): Classifier {
  return classifier(ruleSet(options.disable ?? [], options.remove ?? [], options.keep ?? []), isPackage);
}

describe('ruleSet', () => {
  test('the defaults, in order, and the always-kept globs', () => {
    const set = ruleSet([], [], []);
    expect(set.rules.map((r) => r.name).join(', ')).toBe(RULE_NAMES);
    expect(set.rules).toEqual([...DEFAULT_RULES]);
    expect(set.keep).toEqual([...ALWAYS_KEEP]);
  });

  test('disabled rules are left out; user globs come after the defaults, each its own rule', () => {
    const set = ruleSet(['tests', 'pycache'], ['**/*.md', 'pkg/big/**'], ['pkg/tests/fixtures/**']);
    expect(set.rules.map((r) => r.name)).toEqual([
      'type-stubs',
      'c-sources',
      'static-libs',
      'docs-examples',
      'pip-bookkeeping',
      'scripts',
      'remove:**/*.md',
      'remove:pkg/big/**'
    ]);
    expect(set.rules.slice(-2)).toEqual([
      { name: 'remove:**/*.md', description: 'your rule **/*.md', globs: ['**/*.md'] },
      { name: 'remove:pkg/big/**', description: 'your rule pkg/big/**', globs: ['pkg/big/**'] }
    ]);
    expect(set.keep).toEqual([...ALWAYS_KEEP, 'pkg/tests/fixtures/**']);
  });

  test.each([
    [['nope'], `slim.disable: unknown prune rule nope: the rules are ${RULE_NAMES}`],
    [['tests', 'Tests', 'docs'], `slim.disable: unknown prune rule Tests, docs: the rules are ${RULE_NAMES}`],
    [['remove:**/*.md'], `slim.disable: unknown prune rule remove:**/*.md: the rules are ${RULE_NAMES}`]
  ])('disabling %j is an InputError naming the unknown rules and listing the known ones', (disable, message) => {
    const error = inputErrorFrom(() => ruleSet(disable, [], []));
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toBe(message);
    expect(error.location).toBeUndefined();
  });

  test('does not change the default rules', () => {
    ruleSet(['tests'], ['x/**'], ['y/**']);
    expect(DEFAULT_RULES.map((r) => r.name).join(', ')).toBe(RULE_NAMES);
    expect(ALWAYS_KEEP).not.toContain('y/**');
  });
});

describe('classifier with the default rules', () => {
  const classifyDefault = classify();

  test.each<[string, string | undefined]>([
    // tests: folders named tests/test below a top-level package, packages or not.
    ['pandas/tests/x.py', 'tests'],
    ['pandas/tests/__init__.py', 'tests'],
    ['pandas/tests/io/data/file.csv', 'tests'],
    ['pkg/test/x.py', 'tests'],
    ['pkg/sub/deep/tests/conftest.py', 'tests'],
    ['tests/x.py', undefined], // a top-level package named tests is not a test suite
    ['test/x.py', undefined],
    ['test/tests.py', undefined],
    ['pkg/tests', undefined], // a file, not a folder
    ['pkg/tests.py', undefined],
    ['pkg/test_x.py', undefined],
    ['numpy/testing/x.py', undefined],
    ['pandas/_testing/x.py', undefined],
    ['pkg/unittests/x.py', undefined],
    ['pkg/Tests/x.py', undefined],
    // type stubs
    ['pkg/a.pyi', 'type-stubs'],
    ['a.pyi', 'type-stubs'],
    ['pkg/sub/py.typed', undefined],
    ['pkg/a.py', undefined],
    ['pkg/a.pyc', undefined],
    // C, C++ and Cython sources and headers
    ['pkg/a.c', 'c-sources'],
    ['sklearn/tree/_utils.pyx.tp', 'c-sources'],
    ['scipy/special/_ufuncs.pxd.in', 'c-sources'],
    ['numpy/_core/lib/libnpymath.a', 'static-libs'],
    ['pandas/conftest.py', 'tests'],
    ['pkg/a.cc', 'c-sources'],
    ['pkg/a.cpp', 'c-sources'],
    ['pkg/a.cxx', 'c-sources'],
    ['pkg/a.h', 'c-sources'],
    ['pkg/a.hh', 'c-sources'],
    ['pkg/a.hpp', 'c-sources'],
    ['pkg/a.pyx', 'c-sources'],
    ['pkg/a.pxd', 'c-sources'],
    ['pkg/a.pxi', 'c-sources'],
    ['numpy/core/include/numpy/ndarrayobject.h', 'c-sources'],
    ['a.c', 'c-sources'],
    ['pkg/a.cfg', undefined],
    ['pkg/a.csv', undefined],
    ['pkg/a.html', undefined],
    ['pkg/a.hdf', undefined],
    ['pkg/a.pyd', undefined],
    ['pkg/_a.cpython-312-x86_64-linux-gnu.so', undefined],
    // docs and examples that are not packages
    ['numpy/doc/ufuncs.py', 'docs-examples'],
    ['pkg/docs/index.rst', 'docs-examples'],
    ['pkg/example/run.py', 'docs-examples'],
    ['pkg/sub/examples/run.py', 'docs-examples'],
    ['botocore/docs/x.py', undefined], // botocore/docs is a package
    ['botocore/docs/bcdoc/style.py', undefined],
    ['pkg/examples/run.py', undefined], // pkg/examples is a package
    ['docs/x.py', undefined], // top level
    ['pkg/documentation/x.py', undefined],
    ['pkg/docs', undefined],
    // pip's bookkeeping
    ['x.dist-info/INSTALLER', 'pip-bookkeeping'],
    ['x.dist-info/REQUESTED', 'pip-bookkeeping'],
    ['x.dist-info/direct_url.json', 'pip-bookkeeping'],
    ['x.dist-info/METADATA', undefined],
    ['x.dist-info/RECORD', undefined],
    ['x.dist-info/WHEEL', undefined],
    ['x.dist-info/entry_points.txt', undefined],
    ['x.dist-info/top_level.txt', undefined],
    ['x.dist-info/licenses/LICENSE', undefined],
    ['pkg/INSTALLER', undefined],
    // console scripts
    ['bin/f2py', 'scripts'],
    ['bin/sub/tool', 'scripts'],
    ['pkg/bin/tool', undefined],
    ['binary/tool', undefined],
    // __pycache__ anywhere
    ['pkg/__pycache__/a.cpython-312.pyc', 'pycache'],
    ['__pycache__/six.cpython-312.pyc', 'pycache'],
    ['pkg/sub/__pycache__/b.cpython-312.opt-1.pyc', 'pycache'],
    ['pkg/not__pycache__/a.pyc', undefined],
    // plain code and data stay
    ['pkg/__init__.py', undefined],
    ['pkg/data/file.json', undefined],
    ['six.py', undefined],
    ['numpy.libs/libopenblas64_p-r0-0cf96a72.3.23.dev.so', undefined]
  ])('%s -> %s', (path, rule) => {
    expect(classifyDefault(path)).toBe(rule);
  });

  test.each([
    'pkg/tests/LICENSE.txt',
    'pkg/tests/LICENSE',
    'pkg/tests/COPYING',
    'pkg/docs/NOTICE.md',
    'pkg/docs/AUTHORS.rst',
    'pkg/tests/LICENCE',
    'LICENSE',
    'pkg/tests/certs/ca.pem',
    'pkg/a.c.pem',
    'pkg/tests/zoneinfo/UTC',
    'dateutil/zoneinfo/dateutil-zoneinfo.tar.gz',
    'tzdata/zoneinfo/Europe/Paris',
    'pkg/tests/tzdata/x.h',
    'bin/tzdata/x',
    'pkg/__pycache__/LICENSE.pyc'
  ])('%s is always kept, though a rule matches it', (path) => {
    expect(classifyDefault(path)).toBeUndefined();
  });

  test('the always-kept globs are not blanket: the same folders without them are removed', () => {
    expect(classifyDefault('pkg/tests/license.txt')).toBe('tests');
    expect(classifyDefault('pkg/tests/cert.pem.bak')).toBe('tests');
    expect(classifyDefault('pkg/tests/zoneinfo.py')).toBe('tests');
  });

  test('the first matching rule names the removal', () => {
    expect(classifyDefault('pkg/tests/stub.pyi')).toBe('tests');
    expect(classifyDefault('pkg/docs/ext.c')).toBe('c-sources');
    expect(classifyDefault('pkg/tests/__pycache__/a.pyc')).toBe('tests');
  });

  test('dot files and folders match too', () => {
    expect(classifyDefault('pkg/.hidden/a.pyi')).toBe('type-stubs');
    expect(classifyDefault('pkg/tests/.coveragerc')).toBe('tests');
  });

  test('isPackage is asked about the folder path from the top, only for notPackages rules', () => {
    const asked: string[] = [];
    const classifyLogging = classifier(ruleSet([], [], []), (folder) => {
      asked.push(folder);
      return false;
    });
    expect(classifyLogging('botocore/docs/x.py')).toBe('docs-examples');
    expect(classifyLogging('pandas/tests/x.py')).toBe('tests');
    expect(asked).toEqual(['botocore/docs']);
  });

  test('a docs folder that is a package is kept, but a non-package examples folder below it is not', () => {
    expect(classifyDefault('botocore/docs/examples/run.py')).toBe('docs-examples');
  });
});

describe('classifier with user settings', () => {
  test.each<[string, string | undefined]>([
    ['README.md', 'remove:**/*.md'],
    ['pkg/README.md', 'remove:**/*.md'],
    ['pkg/big/model.bin', 'remove:pkg/big/**'],
    ['pkg/bigger/model.bin', undefined],
    ['pkg/README.rst', undefined],
    ['pkg/a.pyi', 'type-stubs'],
    ['pkg/LICENSE.md', undefined] // always kept beats a user glob too
  ])('remove globs get their own rule name: %s -> %s', (path, rule) => {
    expect(classify({ remove: ['**/*.md', 'pkg/big/**'] })(path)).toBe(rule);
  });

  test('a default rule matches before a user glob that also matches', () => {
    expect(classify({ remove: ['pkg/**'] })('pkg/a.pyi')).toBe('type-stubs');
    expect(classify({ remove: ['pkg/**'] })('pkg/a.py')).toBe('remove:pkg/**');
  });

  test.each<[string, string | undefined]>([
    ['pandas/tests/data/file.csv', undefined],
    ['pandas/tests/data/sub/f.c', undefined],
    ['pandas/tests/x.py', 'tests'],
    ['pkg/big/x.md', undefined],
    ['pkg/a.pyi', undefined]
  ])('keep globs beat default and user rules: %s -> %s', (path, rule) => {
    const classifyKept = classify({ remove: ['pkg/big/**'], keep: ['pandas/tests/data/**', 'pkg/big/*.md', '**/*.pyi'] });
    expect(classifyKept(path)).toBe(rule);
  });

  test.each<[string[], string, string | undefined]>([
    [['tests'], 'pandas/tests/x.py', undefined],
    [['tests'], 'pandas/tests/x.pyi', 'type-stubs'],
    [['type-stubs'], 'pkg/a.pyi', undefined],
    [['c-sources'], 'pkg/a.pyx', undefined],
    [['docs-examples'], 'numpy/doc/ufuncs.py', undefined],
    [['pip-bookkeeping'], 'x.dist-info/INSTALLER', undefined],
    [['scripts'], 'bin/f2py', undefined],
    [['pycache'], 'pkg/__pycache__/a.cpython-312.pyc', undefined],
    [['tests', 'c-sources'], 'pandas/tests/x.c', undefined],
    [['tests'], 'pkg/a.c', 'c-sources']
  ])('disabling %j: %s -> %s', (disable, path, rule) => {
    expect(classify({ disable })(path)).toBe(rule);
  });

  test('a disabled rule can still be matched by a user glob, under the user rule name', () => {
    expect(classify({ disable: ['tests'], remove: ['**/tests/**'] })('pandas/tests/x.py')).toBe('remove:**/tests/**');
  });
});
