import { checkLayer } from '../lambda/limits.js';
import type { Report } from './report.js';
import { functionWithBudgets, layerWithBudget } from './budgets.js';

/**
 * The report's verdicts measured again from its sizes and limits, the way a build reaches them: a layer's
 * violations, a function's direct-upload and within-limits flags, budgets, the report's withinLimits and verified.
 * A report read from a file (a matrix job's, a downloaded one) is never taken at its word. Pure.
 */
export function withVerdicts(report: Report): Report {
  const { limits } = report;
  const layers = report.layers.map((l) => layerWithBudget({ ...l, violations: checkLayer(l.name, l.unzippedBytes, l.packages, limits) }));
  const functions = report.functions.map((f) => ({
    ...functionWithBudgets(f),
    directUpload: f.zippedBytes <= limits.directUploadZippedBytes,
    withinLimits: f.totalUnzippedBytes <= limits.unzippedBytes && f.layers.length <= limits.maxLayers
  }));
  return {
    ...report,
    layers,
    functions,
    withinLimits: layers.every((l) => l.violations.length === 0) && functions.every((f) => f.withinLimits),
    verified: functions.every((f) => f.verification.status !== 'failed')
  };
}
