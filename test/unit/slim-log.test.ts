import { emptySlimLog, recordRemovals, type SlimLog } from '../../src/slim/slim-log.js';

describe('emptySlimLog', () => {
  test('nothing removed yet: after is before, every list empty', () => {
    expect(emptySlimLog(true, 1234, 'bytecode')).toEqual({
      enabled: true,
      beforeBytes: 1234,
      afterBytes: 1234,
      removed: [],
      removedByPackage: [],
      strip: { files: 0, bytesSaved: 0, restored: [] },
      bytecode: { mode: 'bytecode', files: 0 },
      notes: [],
      deduped: [],
      removedPaths: []
    });
  });

  test('a disabled log keeps its mode and size', () => {
    const log = emptySlimLog(false, 0, 'source');
    expect(log.enabled).toBe(false);
    expect(log.bytecode).toEqual({ mode: 'source', files: 0 });
    expect(log.beforeBytes).toBe(0);
  });

  test('each log has its own lists', () => {
    const a = emptySlimLog(true, 1, 'bytecode');
    const b = emptySlimLog(true, 1, 'bytecode');
    recordRemovals(a, [{ path: 'p/tests/x.py', bytes: 10, rule: 'tests', owner: 'p' }]);
    a.notes.push('note');
    a.strip.restored.push('x.so');
    expect(b.removed).toEqual([]);
    expect(b.removedPaths).toEqual([]);
    expect(b.notes).toEqual([]);
    expect(b.strip.restored).toEqual([]);
  });
});

describe('recordRemovals', () => {
  let log: SlimLog;
  beforeEach(() => {
    log = emptySlimLog(true, 100_000, 'bytecode');
  });

  test('totals per rule (first-seen order) and per package (largest first); every path recorded in order', () => {
    recordRemovals(log, [
      { path: 'pandas/tests/a.py', bytes: 300, rule: 'tests', owner: 'pandas' },
      { path: 'numpy/core/include/x.h', bytes: 50, rule: 'c-sources', owner: 'numpy' },
      { path: 'pandas/tests/b.py', bytes: 200, rule: 'tests', owner: 'pandas' },
      { path: 'numpy/tests/c.py', bytes: 1000, rule: 'tests', owner: 'numpy' },
      { path: 'stray/README.md', bytes: 7, rule: 'remove:**/*.md' }
    ]);
    expect(log.removed).toEqual([
      { rule: 'tests', files: 3, bytes: 1500 },
      { rule: 'c-sources', files: 1, bytes: 50 },
      { rule: 'remove:**/*.md', files: 1, bytes: 7 }
    ]);
    expect(log.removedByPackage).toEqual([
      { name: 'numpy', bytes: 1050 },
      { name: 'pandas', bytes: 500 },
      { name: '(unclaimed)', bytes: 7 }
    ]);
    expect(log.removedPaths).toEqual([
      ['pandas/tests/a.py', 'tests'],
      ['numpy/core/include/x.h', 'c-sources'],
      ['pandas/tests/b.py', 'tests'],
      ['numpy/tests/c.py', 'tests'],
      ['stray/README.md', 'remove:**/*.md']
    ]);
  });

  test('a second call adds to the totals and re-sorts the packages', () => {
    recordRemovals(log, [
      { path: 'a/tests/x.py', bytes: 100, rule: 'tests', owner: 'a' },
      { path: 'b/tests/x.py', bytes: 50, rule: 'tests', owner: 'b' }
    ]);
    recordRemovals(log, [
      { path: 'b/x.pyi', bytes: 80, rule: 'type-stubs', owner: 'b' },
      { path: 'six.py', bytes: 5, rule: 'provided-by:Core' }
    ]);
    expect(log.removed).toEqual([
      { rule: 'tests', files: 2, bytes: 150 },
      { rule: 'type-stubs', files: 1, bytes: 80 },
      { rule: 'provided-by:Core', files: 1, bytes: 5 }
    ]);
    expect(log.removedByPackage).toEqual([
      { name: 'b', bytes: 130 },
      { name: 'a', bytes: 100 },
      { name: '(unclaimed)', bytes: 5 }
    ]);
    expect(log.removedPaths.map(([p]) => p)).toEqual(['a/tests/x.py', 'b/tests/x.py', 'b/x.pyi', 'six.py']);
  });

  test('packages with the same bytes are sorted by name', () => {
    recordRemovals(log, [
      { path: 'zz/a.c', bytes: 10, rule: 'c-sources', owner: 'zz' },
      { path: 'aa/a.c', bytes: 10, rule: 'c-sources', owner: 'aa' },
      { path: 'mm/a.c', bytes: 10, rule: 'c-sources', owner: 'mm' }
    ]);
    expect(log.removedByPackage.map((p) => p.name)).toEqual(['aa', 'mm', 'zz']);
  });

  test('an empty file counts as a file of no bytes', () => {
    recordRemovals(log, [{ path: 'p/tests/__init__.py', bytes: 0, rule: 'tests', owner: 'p' }]);
    expect(log.removed).toEqual([{ rule: 'tests', files: 1, bytes: 0 }]);
    expect(log.removedByPackage).toEqual([{ name: 'p', bytes: 0 }]);
  });

  test('no removals change nothing', () => {
    recordRemovals(log, []);
    expect(log).toEqual(emptySlimLog(true, 100_000, 'bytecode'));
  });

  test('sizes and the other fields are left to the caller', () => {
    recordRemovals(log, [{ path: 'p/tests/x.py', bytes: 10, rule: 'tests', owner: 'p' }]);
    expect(log.beforeBytes).toBe(100_000);
    expect(log.afterBytes).toBe(100_000);
    expect(log.deduped).toEqual([]);
  });
});
