/** Turns pip's output into a reason a person can act on. Pure: text in, text out. */
import { projectOf } from '../plan/requirements.js';
import { normalizeName } from '../shared/package-names.js';

/** The requirement pip could not satisfy, as pip printed it. */
export function unsatisfiedRequirement(output: string): string | undefined {
  return /No matching distribution found for (\S+)/.exec(output)?.[1];
}

function blankAfter(lines: string[], start: number): number | undefined {
  const index = lines.findIndex((l, i) => i > start && !l.trim());
  return index < 0 ? undefined : index;
}

/**
 * pip's "ERROR: Exception:" means pip itself raised (a full disk, a read-only folder): the reason is the last
 * exception its traceback names (a chained traceback names the first one too).
 */
function withRaised(error: string, lines: readonly string[], at: number): string {
  if (error !== 'Exception:') return error;
  const next = lines.findIndex((l, i) => i > at && l.startsWith('ERROR:'));
  const raised = lines
    .slice(at + 1, next < 0 ? undefined : next)
    .filter((l) => l.trim() && !/^\s/.test(l) && !/^(Traceback|During handling|The above exception)/.test(l))
    .pop();
  return raised ? `${error} ${raised.trim()}` : error;
}

/** pip's own ERROR lines, the reason to quote when nothing more specific is known. */
export function pipErrors(output: string): string {
  // The ERROR lines, and the resolver's explanation of a conflict ("The conflict is caused by: ...").
  const all = output.split(/\r?\n/);
  const cause = all.findIndex((l) => l.startsWith('The conflict is caused by'));
  const lines = [
    ...all.flatMap((l, i) => (l.startsWith('ERROR:') ? [withRaised(l.slice('ERROR:'.length).trim(), all, i)] : [])),
    ...(cause < 0 ? [] : all.slice(cause, blankAfter(all, cause)).map((l) => l.trim()))
  ];
  return lines.join(' ') || output.trim().split(/\r?\n/).slice(-5).join(' ');
}

/** uv's error, as one line: its "error:" and "×" lines and the explanation under them. */
export function uvErrors(output: string): string {
  const lines = output.split(/\r?\n/).map((l) => l.trim());
  const first = lines.findIndex((l) => /^(error:|×)/.test(l));
  return (first < 0 ? lines.slice(-5) : lines.slice(first)).filter(Boolean).join(' ').slice(0, 2000);
}

function fileName(url: string): string {
  return decodeURIComponent(url.split('#')[0]?.split('/').pop() ?? url);
}

export interface NoMatchExplanation {
  kind: 'sdist-only' | 'no-compatible-wheel' | 'unreachable' | 'not-found';
  message: string;
}

/**
 * Reads `pip download -vv` for one requirement: skipped sdists mean only source is published,
 * skipped wheels mean none is built for this platform, neither means no such release.
 */
export function explainSkippedLinks(requirement: string, verboseOutput: string, target: string): NoMatchExplanation {
  // pip names the project it searched for, not the file's: with --find-links every file is checked, so match on the file name.
  const project = projectOf(requirement);
  const skipped = [...verboseOutput.matchAll(/Skipping link: (.+?): (\S+)/g)]
    .map(([, reason = '', url = '']) => ({ reason, file: fileName(url) }))
    .filter(({ file }) => normalizeName(/^(.+?)-\d/.exec(file)?.[1] ?? '') === project);
  const sdists = skipped.filter((s) => s.reason.startsWith('No sources permitted')).map((s) => s.file);
  const wheels = skipped.filter((s) => s.reason.startsWith("none of the wheel's tags")).map((s) => s.file);
  if (wheels.length > 0) {
    return {
      kind: 'no-compatible-wheel',
      message:
        `no wheel of ${requirement} loads on ${target} (found ${wheels.slice(-3).join(', ')}${wheels.length > 3 ? ', ...' : ''}); ` +
        'pin a release that publishes a wheel for this runtime, or change the runtime'
    };
  }
  if (sdists.length > 0) {
    return {
      kind: 'sdist-only',
      message:
        `only a source distribution of ${requirement} is available (${sdists.slice(-1)[0]}): building it would run its ` +
        'setup code on this machine and could produce a wheel for the wrong platform. Pin a release with a wheel, ' +
        'or allow it explicitly (allow-sdist) if it is pure Python'
    };
  }
  // pip retries a refused or failed connection and then reports "no matching distribution" as if none existed.
  const unreachable = /(NewConnectionError|Failed to establish a new connection|Could not fetch URL|Max retries exceeded)[^\n]*/.exec(
    verboseOutput
  );
  if (unreachable) {
    return {
      kind: 'unreachable',
      message: `the package index could not be reached while looking for ${requirement} (${unreachable[0].trim().slice(0, 200)}): check the index URL and the network`
    };
  }
  return { kind: 'not-found', message: `no release of ${requirement} was found on the configured package index` };
}
