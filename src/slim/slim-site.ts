import { rm } from 'node:fs/promises';
import path from 'node:path';
import { ownership, readDistributions, rewriteRecords } from '../artifact/distributions.js';
import { listTree, totalSize } from '../artifact/file-tree.js';
import type { Strip, TargetPython } from '../tools/tools.js';
import { compileBytecode } from './bytecode.js';
import { classifier, RUNTIME_PROVIDED, ruleSet, type Classifier } from './prune-rules.js';
import type { SlimSettings } from '../settings/slim-settings.js';
import { emptySlimLog, recordRemovals, type SlimLog } from './slim-log.js';
import { linkIdentical } from './link-identical.js';
import { strippable, stripExtensions, stripWithoutLoading } from './strip-extensions.js';
import { timed, type PhaseTimer } from '../shared/stopwatch.js';

export interface SlimRequest {
  siteDir: string;
  settings: SlimSettings;
  /** Distributions that lower layers of every stack already provide, per layer: not shipped again. */
  provided: ReadonlyArray<{ layer: string; names: readonly string[] }>;
  /** The site folders of those lower layers, when they share /opt with this one (layers only). */
  lowerSites?: ReadonlyArray<{ layer: string; siteDir: string }>;
  /** The runtime's Python; without it, stripping and bytecode are skipped with a note. */
  python?: TargetPython;
  /** Where the folder will be on Lambda (/opt/python, /var/task): the source paths bytecode records. */
  deployedAt: string;
  /** The runtime's Python version, for notes. */
  pythonVersion: string;
  /** A strip for the target's files, when one is installed; without it, stripping is skipped with a note. */
  strip?: Strip;
  /** Times each part: prune (listing, removing, RECORD files), strip, link and bytecode. */
  timer?: PhaseTimer<'prune' | 'strip' | 'link' | 'bytecode'>;
}

/** The distributions slimming leaves out, with the rule: what lower layers provide, and the runtime's own when asked. Pure. */
export function removedDistributions(provided: SlimRequest['provided'], settings: SlimSettings): Map<string, string> {
  const removed = new Map<string, string>();
  for (const { layer, names } of provided) for (const name of names) removed.set(name, `provided-by:${layer}`);
  if (settings.enabled && settings.dropRuntimeProvided) for (const name of RUNTIME_PROVIDED) removed.set(name, 'runtime-provided');
  return removed;
}

/**
 * Slims an installed site folder in place: leaves out what lower layers provide (always, it is
 * what makes a stack correct), then, when slimming is on, prunes, strips and compiles bytecode.
 */
export async function slimSite(request: SlimRequest): Promise<SlimLog> {
  const { siteDir, settings, python } = request;
  const time = <T>(phase: 'prune' | 'strip' | 'link' | 'bytecode', work: () => Promise<T>) => timed(request.timer, phase, work);
  const entries = await time('prune', () => listTree(siteDir));
  const log = emptySlimLog(settings.enabled, totalSize(entries), settings.enabled ? settings.bytecode : 'none');
  const dists = await time('prune', () => readDistributions(siteDir));
  const ownerOf = ownership(dists, '');
  const removedDists = removedDistributions(request.provided, settings);
  log.deduped = dists.filter((d) => removedDists.get(d.name)?.startsWith('provided-by:')).map((d) => d.name);
  const packages = new Set(entries.filter((e) => /\/__init__\.py$/.test(e.path)).map((e) => path.posix.dirname(e.path)));
  const classify: Classifier = settings.enabled
    ? classifier(ruleSet(settings.disable, settings.remove, settings.keep), (folder) => packages.has(folder))
    : () => undefined;

  const removals = entries.flatMap((e) => {
    const owner = ownerOf(e.path)?.name;
    const rule = (owner && removedDists.get(owner)) || classify(e.path);
    return rule ? [{ path: e.path, bytes: e.size, rule, owner }] : [];
  });
  await time('prune', async () => {
    for (const r of removals) await rm(path.join(siteDir, r.path));
  });
  recordRemovals(log, removals);
  if (!settings.enabled) {
    log.afterBytes = log.beforeBytes - removals.reduce((sum, r) => sum + r.bytes, 0);
    return log;
  }
  const bundled = dists.filter((d) => RUNTIME_PROVIDED.includes(d.name) && !removedDists.has(d.name));
  if (bundled.length) {
    log.notes.push(
      `bundles ${bundled.map((d) => `${d.name} ${d.version}`).join(', ')}, which the Lambda runtime already ships (its own version): ` +
        'set slim.dropRuntimeProvided to leave them out, unless you need this version'
    );
  }

  const removedPaths = new Set(removals.map((r) => r.path));
  const remaining = entries.filter((e) => !removedPaths.has(e.path)).map((e) => e.path);
  const noPython = `no CPython ${request.pythonVersion} was found, for any CPU (see "pythons" in the config file)`;
  const noCrossStrip =
    "no strip for this architecture's files is installed (llvm-strip, or binutils for the target such as aarch64-linux-gnu-strip)";
  if (!settings.strip) log.strip.skipped = 'turned off';
  else if (!python) log.strip.skipped = noPython;
  else if (!request.strip) log.strip.skipped = python.runsTarget ? 'strip (binutils) is not installed' : noCrossStrip;
  else {
    const { strip } = request;
    log.strip = await time('strip', () =>
      python.runsTarget
        ? stripExtensions(siteDir, strippable(remaining), python, strip)
        : stripWithoutLoading(siteDir, strippable(remaining), strip)
    );
  }
  const { lowerSites } = request;
  if (lowerSites?.length) {
    recordRemovals(
      log,
      await time('link', async () => {
        const lowers = await Promise.all(lowerSites.map(async (lower) => ({ ...lower, entries: await listTree(lower.siteDir) })));
        return linkIdentical(siteDir, await listTree(siteDir), lowers);
      })
    );
  }
  if (settings.bytecode !== 'source') {
    if (python)
      log.bytecode = {
        mode: settings.bytecode,
        python: python.version,
        interpreter: `${python.path} (${python.machine})`,
        magic: python.magic,
        files: await time('bytecode', () => compileBytecode(siteDir, settings.bytecode, python, request.deployedAt))
      };
    else
      log.bytecode = { mode: settings.bytecode, files: 0, skipped: `${noPython}: shipped without bytecode, never with another version's` };
  }

  log.afterBytes = await time('prune', async () => {
    const final = await listTree(siteDir);
    const shipped = new Set(final.map((e) => e.path));
    await rewriteRecords(
      siteDir,
      dists.filter((d) => !removedDists.has(d.name)),
      (p) => shipped.has(p)
    );
    return totalSize(await listTree(siteDir));
  });
  return log;
}
