import { OWN_CODE } from '../report/report.js';
import { escapeMarkdown } from '../shared/markdown.js';
import type { ArtifactChange, PackageChange } from './package-changes.js';
import type { ReportDiff } from './report-diff.js';
import { signedBytes } from './verdict.js';

export interface WhyLimits {
  /** Packages named per layer or function; the rest are counted. */
  packages: number;
  /** Layers and functions listed; the rest are counted. */
  artifacts: number;
}

function describePackage(p: PackageChange): string {
  if (p.name === OWN_CODE) return `own code (${signedBytes(p.delta)})`;
  const name = escapeMarkdown(p.name);
  const version = (v: string | undefined) => (v ? ` ${escapeMarkdown(v)}` : '');
  const what =
    p.kind === 'added'
      ? `added ${name}${version(p.to)}`
      : p.kind === 'removed'
        ? `removed ${name}${version(p.from)}`
        : p.kind === 'resized'
          ? `${name} same version`
          : `${p.kind} ${name} ${escapeMarkdown(p.from ?? '')} → ${escapeMarkdown(p.to ?? '')}`;
  return `${what} (${signedBytes(p.delta)})`;
}

/** Said once here, the reason the same delta shows on several function rows. */
function users(c: ArtifactChange, functionCount: number): string {
  if (!c.usedBy?.length) return '';
  if (c.usedBy.length > 1 && c.usedBy.length === functionCount) return ' (in every function)';
  return ` (in ${c.usedBy.map(escapeMarkdown).join(', ')})`;
}

function describeChange(c: ArtifactChange, limits: WhyLimits, functionCount: number): string {
  const shown = c.packages.slice(0, limits.packages).map(describePackage);
  const rest = c.packages.slice(limits.packages);
  if (rest.length) shown.push(`${rest.length} more (${signedBytes(rest.reduce((s, p) => s + p.delta, 0))})`);
  const parts = [...shown, ...c.settings.map((s) => `slimming setting changed: ${escapeMarkdown(s)}`)];
  const status = c.status === 'changed' ? '' : ` *${c.status}*`;
  // A zip that changed with the same packages, sizes and settings: the function's code or a file's content.
  const explained = parts.length ? `: ${parts.join(', ')}` : c.status === 'changed' ? ': same packages, sizes and settings' : '';
  return `- ${c.kind} **${escapeMarkdown(c.name)}**${status} ${signedBytes(c.delta)}${users(c, functionCount)}${explained}`;
}

/** "Why it changed": each changed layer or function and the packages behind it, largest first, capped. Pure. */
export function whyItChanged(diff: ReportDiff, limits: WhyLimits): string[] {
  if (!diff.changes.length) return [];
  const lines = ['**Why it changed**', ''];
  lines.push(...diff.changes.slice(0, limits.artifacts).map((c) => describeChange(c, limits, diff.functions.length)));
  const rest = diff.changes.length - limits.artifacts;
  if (rest > 0) lines.push(`- and ${rest} more layers or functions changed (the job summary lists them all)`);
  if (diff.toolChange) {
    lines.push(`- the base was built by ${escapeMarkdown(diff.toolChange.from)}, the head by ${escapeMarkdown(diff.toolChange.to)}`);
  }
  return [...lines, ''];
}
