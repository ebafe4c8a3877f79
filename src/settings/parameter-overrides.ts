import { InputError, type SourceLocation } from '../shared/errors.js';

/**
 * SAM's `--parameter-overrides` syntax (samcli/cli/types.py CfnParameterOverridesType): space-separated
 * `Key=Value` pairs, or `ParameterKey=Key,ParameterValue=Value` pairs; a value may be wrapped in single or
 * double quotes and escape `\ `, `\"`, `\'`. Unlike SAM, text that is no pair is refused, not dropped.
 * `AWS::Region`-style keys set pseudo-parameters.
 */
const KEY = `((?:AWS::)?[A-Za-z0-9"']+)`;
const VALUE = `("(?:\\\\.|[^"\\\\])*"|'(?:\\\\.|[^'\\\\])*'|(?:\\\\.|[^ "\\\\])+)`;
const PAIR_FORMS = [new RegExp(`ParameterKey=${KEY},ParameterValue=${VALUE}`, 'g'), new RegExp(` ${KEY}=${VALUE}`, 'g')];
const EXAMPLE = "'Key1=Value1 Key2=\"value with spaces\"' or 'ParameterKey=Key1,ParameterValue=Value1'";

function unquote(text: string): string {
  const quoted = text.length >= 2 && (text[0] === '"' || text[0] === "'") && text.at(-1) === text[0];
  return (quoted ? text.slice(1, -1) : text).replaceAll('\\ ', ' ').replaceAll('\\"', '"').replaceAll("\\'", "'");
}

/** Parses one or more override strings (each may hold several pairs); later pairs win. */
export function parseParameterOverrides(texts: readonly string[], source: string, where?: SourceLocation): Record<string, string> {
  const result: Record<string, string> = {};
  for (const text of texts) {
    const normalized = ` ${text.trim()}`;
    if (!normalized.trim()) continue;
    const form = PAIR_FORMS.find((re) => normalized.match(re));
    const leftover = form ? normalized.replace(form, '').trim() : normalized.trim();
    if (!form || leftover) {
      throw new InputError(`${source}: ${JSON.stringify(leftover || text)} is not a Key=Value pair: write ${EXAMPLE}`, where);
    }
    for (const match of normalized.matchAll(form)) result[unquote(match[1] ?? '')] = unquote(match[2] ?? '');
  }
  return result;
}
