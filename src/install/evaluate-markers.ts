import type { FileTexts } from '../template/app-files.js';
import { InputError } from '../shared/errors.js';
import { markerEnvironment, platformKey } from '../lambda/marker-environment.js';
import type { Platform } from '../lambda/platform.js';
import { parseRequirements, type MarkerVerdicts } from '../plan/requirements.js';
import type { Pip } from '../tools/tools.js';

/**
 * Evaluates every environment marker of the requirements files for every target platform, with pip's own
 * parser: `pip install --python-version` still judges markers for the Python running pip (pypa/pip#11010,
 * #10050). An invalid marker is bad input, named with its file and line.
 */
export async function evaluateMarkers(pip: Pip, texts: FileTexts, platforms: readonly Platform[]): Promise<MarkerVerdicts> {
  const where = new Map<string, { file: string; line: number }>();
  for (const [file, text] of texts) {
    for (const r of parseRequirements(text, file, { allowEmpty: true }).requirements) {
      if (r.marker !== undefined && !where.has(r.marker)) where.set(r.marker, { file, line: r.lineNumber });
    }
  }
  const markers = [...where.keys()];
  const targets = [...new Map(platforms.map((p) => [platformKey(p), p])).values()];
  if (markers.length === 0 || targets.length === 0) return new Map();
  const verdicts = await pip.evaluateMarkers(markers, targets.map(markerEnvironment));
  return new Map(
    markers.map((marker, i) => {
      const verdict = verdicts[i];
      if (!Array.isArray(verdict)) throw new InputError(`invalid environment marker "${marker}": ${verdict}`, where.get(marker));
      return [marker, new Map(targets.map((t, j) => [platformKey(t), verdict[j] === true]))];
    })
  );
}
