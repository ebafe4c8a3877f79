import type { PackageSize } from '../lambda/limits.js';
import type { FunctionReport, LayerReport, Report } from '../report/report.js';

/** What happened to one distribution (or a function's own code) between the base and the head artifact. */
export interface PackageChange {
  name: string;
  kind: 'added' | 'removed' | 'upgraded' | 'downgraded' | 'resized';
  from?: string;
  to?: string;
  /** Unzipped bytes, head minus base. */
  delta: number;
}

/** Why one layer's or function's content changed: its packages, largest change first, and the settings that moved. */
export interface ArtifactChange {
  kind: 'layer' | 'function';
  name: string;
  status: 'new' | 'removed' | 'changed';
  /** Unzipped bytes of the artifact itself (a function's own code, not its layers), head minus base. */
  delta: number;
  packages: PackageChange[];
  /** Slimming settings that differ between the two builds, e.g. "bytecode: bytecode → optimized". */
  settings: string[];
  /** Layers: the functions that use it, whose totals move by the same bytes. */
  usedBy?: string[];
}

/**
 * Orders release segments numerically (1.10 after 1.9), a pre-release (rc1, b2, dev0) before its release and a
 * post-release after it. Enough to tell an upgrade from a downgrade; never used to decide what is installed.
 */
export function compareVersions(a: string, b: string): number {
  const parts = (v: string) =>
    v
      .toLowerCase()
      .split(/[.+_-]|(?<=\d)(?=[a-z])|(?<=[a-z])(?=\d)/)
      .filter(Boolean)
      .map((p) => (/^\d+$/.test(p) ? Number(p) : p));
  // What a missing part weighs against a present one: a pre-release tag is below nothing, anything else above.
  const beyond = (p: number | string) => (typeof p === 'string' && p !== 'post' ? -1 : 1);
  const [x, y] = [parts(a), parts(b)];
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const [p, q] = [x[i], y[i]];
    if (p === q) continue;
    if (p === undefined) return -beyond(q!);
    if (q === undefined) return beyond(p);
    if (typeof p === 'number' && typeof q === 'number') return p - q;
    if (typeof p === 'number') return 1;
    if (typeof q === 'number') return -1;
    return p.localeCompare(q);
  }
  return 0;
}

/** Package by package, head against base, largest absolute change first. Pure. */
export function packageChanges(base: readonly PackageSize[], head: readonly PackageSize[]): PackageChange[] {
  const before = new Map(base.map((p) => [p.name, p]));
  const after = new Map(head.map((p) => [p.name, p]));
  const changes: PackageChange[] = [];
  for (const p of head) {
    const b = before.get(p.name);
    if (!b) changes.push({ name: p.name, kind: 'added', ...(p.version && { to: p.version }), delta: p.bytes });
    else if (b.version !== p.version) {
      const kind = compareVersions(p.version, b.version) >= 0 ? 'upgraded' : 'downgraded';
      changes.push({ name: p.name, kind, from: b.version, to: p.version, delta: p.bytes - b.bytes });
    } else if (b.bytes !== p.bytes) changes.push({ name: p.name, kind: 'resized', delta: p.bytes - b.bytes });
  }
  for (const b of base) {
    if (!after.has(b.name)) changes.push({ name: b.name, kind: 'removed', ...(b.version && { from: b.version }), delta: -b.bytes });
  }
  return changes.sort((x, y) => Math.abs(y.delta) - Math.abs(x.delta) || x.name.localeCompare(y.name));
}

type Slimming = LayerReport['slimming'];

/** The slimming settings a report records: on or off, the bytecode mode, stripping. */
function slimmingSettings(s: Slimming | undefined): Map<string, string> {
  const settings = new Map<string, string>();
  if (!s) return settings;
  settings.set('slimming', s.enabled ? 'on' : 'off');
  if (s.enabled) {
    settings.set('bytecode', s.bytecode.mode);
    settings.set('strip', s.strip.skipped ? `skipped (${s.strip.skipped})` : 'on');
  }
  return settings;
}

function settingsChanges(base: Slimming | undefined, head: Slimming | undefined): string[] {
  if (!base || !head) return [];
  const [b, h] = [slimmingSettings(base), slimmingSettings(head)];
  return [...new Set([...b.keys(), ...h.keys()])]
    .filter((key) => b.get(key) !== h.get(key))
    .map((key) => `${key}: ${b.get(key) ?? 'n/a'} → ${h.get(key) ?? 'n/a'}`);
}

interface Artifact {
  unzippedBytes: number;
  sha256: string;
  packages: PackageSize[];
  slimming?: Slimming;
}

const layerArtifact = (l: LayerReport): Artifact => l;
const functionArtifact = (f: FunctionReport): Artifact => ({ ...f, unzippedBytes: f.codeUnzippedBytes });

function artifactChanges<T extends { name: string }>(
  kind: ArtifactChange['kind'],
  base: readonly T[],
  head: readonly T[],
  view: (item: T) => Artifact
): ArtifactChange[] {
  const before = new Map(base.map((item) => [item.name, view(item)]));
  const after = new Map(head.map((item) => [item.name, view(item)]));
  const names = [...after.keys(), ...[...before.keys()].filter((n) => !after.has(n))];
  const changes: ArtifactChange[] = [];
  for (const name of names) {
    const [b, h] = [before.get(name), after.get(name)];
    if (b && h && b.sha256 === h.sha256) continue;
    const packages = packageChanges(b?.packages ?? [], h?.packages ?? []);
    const settings = settingsChanges(b?.slimming, h?.slimming);
    const delta = (h?.unzippedBytes ?? 0) - (b?.unzippedBytes ?? 0);
    // A zip that differs with the same files and sizes (timestamps cannot: zips are deterministic) has nothing to explain.
    if (b && h && !packages.length && !settings.length && delta === 0) continue;
    changes.push({ kind, name, status: !b ? 'new' : !h ? 'removed' : 'changed', delta, packages, settings });
  }
  return changes;
}

/**
 * Every layer and every function whose own content changed, with the packages that explain it,
 * largest change first. A function's layers are explained under the layers, not under each function. Pure.
 */
export function contentChanges(base: Report, head: Report): ArtifactChange[] {
  const users = (layer: string) =>
    (head.layers.some((l) => l.name === layer) ? head : base).functions.filter((f) => f.layers.includes(layer)).map((f) => f.name);
  return [
    ...artifactChanges('layer', base.layers, head.layers, layerArtifact).map((c) => ({ ...c, usedBy: users(c.name) })),
    ...artifactChanges('function', base.functions, head.functions, functionArtifact)
  ].sort((x, y) => Math.abs(y.delta) - Math.abs(x.delta) || x.name.localeCompare(y.name));
}
