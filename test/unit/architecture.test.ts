import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { REPO_ROOT } from '../helpers/sample-app.js';

/**
 * The direction of imports: front doors (action, cli) → commands → stages → lambda and shared. Read from the
 * sources with the TypeScript parser, so a comment or a string that looks like an import is not one.
 */

const SRC = path.join(REPO_ROOT, 'src');

interface Import {
  /** A module under src/ (relative to it, with .ts), or a package or node: built-in. */
  target: string;
  /** Erased at run time: `import type`, or every name imported is a type. */
  typeOnly: boolean;
}

function importsOf(file: string): Import[] {
  const source = ts.createSourceFile(file, readFileSync(path.join(SRC, file), 'utf8'), ts.ScriptTarget.Latest, false);
  const found: Import[] = [];
  for (const statement of source.statements) {
    if (!(ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement)) || !statement.moduleSpecifier) continue;
    if (!ts.isStringLiteral(statement.moduleSpecifier)) continue;
    const specifier = statement.moduleSpecifier.text;
    let typeOnly: boolean;
    if (ts.isImportDeclaration(statement)) {
      const clause = statement.importClause;
      const named = clause?.namedBindings && ts.isNamedImports(clause.namedBindings) ? clause.namedBindings.elements : undefined;
      typeOnly = Boolean(clause && (clause.isTypeOnly || (!clause.name && named?.length && named.every((e) => e.isTypeOnly))));
    } else {
      typeOnly = statement.isTypeOnly;
    }
    const target = specifier.startsWith('.')
      ? path.relative(SRC, path.resolve(SRC, path.dirname(file), specifier)).replace(/\.js$/, '.ts')
      : specifier;
    found.push({ target, typeOnly });
  }
  return found;
}

const MODULES = new Map(
  readdirSync(SRC, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .map((file) => [file.split(path.sep).join('/'), importsOf(file)] as const)
);

const folderOf = (module: string) => module.split('/')[0]!;
const isModule = (target: string) => MODULES.has(target);
const imports = [...MODULES].flatMap(([from, list]) => list.map((i) => ({ from, ...i })));
const crossFolder = imports.filter((i) => isModule(i.target) && folderOf(i.target) !== folderOf(i.from));
const edge = (i: { from: string; target: string }) => `${i.from} → ${i.target}`;

/** Modules with side effects: the file system, processes, GitHub, AWS. */
const IO_MODULE = /^(node:fs|node:fs\/promises|node:child_process|@actions\/|@aws-sdk\/)/;
const PURE_FOLDERS = ['lambda', 'plan', 'elf'];

test('the sources were read', () => {
  expect(MODULES.size).toBeGreaterThan(50);
  expect(crossFolder.length).toBeGreaterThan(50);
});

test('nothing imports the front doors (action, cli)', () => {
  expect(crossFolder.filter((i) => ['action', 'cli'].includes(folderOf(i.target))).map(edge)).toEqual([]);
});

test('only the front doors import commands', () => {
  const intoCommands = crossFolder.filter((i) => folderOf(i.target) === 'commands');
  expect(intoCommands.filter((i) => !['action', 'cli'].includes(folderOf(i.from))).map(edge)).toEqual([]);
});

test('shared imports no other folder; lambda only shared', () => {
  const allowed: Record<string, string[]> = { shared: [], lambda: ['shared'] };
  const out = crossFolder.filter((i) => folderOf(i.from) in allowed && !allowed[folderOf(i.from)]!.includes(folderOf(i.target)));
  expect(out.map(edge)).toEqual([]);
});

test.each<[RegExp, string[]]>([
  [/^@actions\/core$/, ['action']],
  [/^@actions\/github$/, ['pr']],
  [/^@actions\/cache$/, ['cache']],
  [/^@actions\/exec$/, ['tools']],
  [/^@aws-sdk\//, ['aws', 'publish', 'rollback']]
])('%s only in %j', (pkg, folders) => {
  const users = imports.filter((i) => pkg.test(i.target) && !i.typeOnly);
  expect(users.filter((i) => !folders.includes(folderOf(i.from))).map(edge)).toEqual([]);
});

test.each(PURE_FOLDERS)('%s is pure: nothing it runs reaches the file system, a process, GitHub or AWS', (folder) => {
  // Type-only imports are erased; every module a pure module loads must be pure in turn.
  const reached = new Map<string, string[]>();
  const walk = (module: string, trail: string[]) => {
    for (const i of MODULES.get(module) ?? []) {
      if (i.typeOnly || reached.has(i.target)) continue;
      reached.set(i.target, [...trail, i.target]);
      if (isModule(i.target)) walk(i.target, [...trail, i.target]);
    }
  };
  for (const module of MODULES.keys()) if (folderOf(module) === folder) walk(module, [module]);
  const io = [...reached].filter(([target]) => IO_MODULE.test(target)).map(([, trail]) => trail.join(' → '));
  expect(io).toEqual([]);
});

test('the folders form no cycle', () => {
  const graph = new Map<string, Set<string>>();
  for (const i of crossFolder) graph.set(folderOf(i.from), (graph.get(folderOf(i.from)) ?? new Set()).add(folderOf(i.target)));
  const cycles: string[] = [];
  const state = new Map<string, 'open' | 'done'>();
  const visit = (folder: string, stack: string[]) => {
    state.set(folder, 'open');
    for (const next of graph.get(folder) ?? []) {
      if (state.get(next) === 'open') {
        const cycle = [...stack.slice(stack.indexOf(next)), next];
        const witness = cycle.slice(1).map((to, k) => crossFolder.find((i) => folderOf(i.from) === cycle[k] && folderOf(i.target) === to)!);
        cycles.push(witness.map(edge).join(', '));
      } else if (!state.has(next)) visit(next, [...stack, next]);
    }
    state.set(folder, 'done');
  };
  for (const folder of [...graph.keys()].sort()) if (!state.has(folder)) visit(folder, [folder]);
  expect(cycles).toEqual([]);
});
