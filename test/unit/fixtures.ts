/** Shared, typed fixtures for the unit tests. Nothing here touches the disk. */
import { parseArgs } from 'node:util';
import { actionInputs } from '../../src/action/inputs.js';
import { cliInputs, type CliOption } from '../../src/cli/inputs.js';
import { parseArgsOptions } from '../../src/cli/options.js';
import type { InputName, InputSource } from '../../src/settings/inputs.js';
import type { App, FunctionSpec, LayerSpec } from '../../src/template/app-model.js';
import { parseTemplate } from '../../src/template/cfn-yaml.js';
import { DEFAULT_CONFIG, type FileConfig } from '../../src/settings/config-file.js';
import { discoverApp, type DiscoverOptions } from '../../src/template/discover.js';
import { InputError, type SourceLocation } from '../../src/shared/errors.js';
import { LAMBDA_LIMITS } from '../../src/lambda/limits.js';
import { REPORT_VERSION, type FunctionReport, type LayerReport, type Report } from '../../src/report/report.js';
import type { Settings } from '../../src/settings/settings.js';
import { slimmingReport } from '../../src/build/build-layer.js';
import { emptySlimLog } from '../../src/slim/slim-log.js';

export const KiB = 1024;
export const MiB = 1024 * 1024;

/** A fake repository: discover is pure, so nothing needs to exist there. */
export const ROOT = '/repo';
export const TEMPLATE_FILE = '/repo/template.yaml';

/** Parses and discovers a template as if it were /repo/template.yaml. */
export function discover(text: string, templateFile = TEMPLATE_FILE, rootDir = ROOT, options: DiscoverOptions = {}): App {
  return discoverApp(parseTemplate(text, templateFile), templateFile, rootDir, options);
}

/** Joins lines with '\n' (and a final newline): keeps line numbers in templates easy to count. */
export function lines(...rows: string[]): string {
  return rows.join('\n') + '\n';
}

export interface LayerOptions {
  type?: 'AWS::Serverless::LayerVersion' | 'AWS::Lambda::LayerVersion';
  contentUri?: string;
  compatibleRuntimes?: string[];
  compatibleArchitectures?: string[];
  buildMethod?: string;
  buildArchitecture?: string;
}

/** A layer resource as YAML lines, indented to sit under `Resources:`. */
export function layerYaml(id: string, options: LayerOptions = {}): string[] {
  const type = options.type ?? 'AWS::Serverless::LayerVersion';
  const contentKey = type === 'AWS::Serverless::LayerVersion' ? 'ContentUri' : 'Content';
  const out = [`  ${id}:`, `    Type: ${type}`, '    Properties:', `      ${contentKey}: ${options.contentUri ?? `layers/${id}`}`];
  if (options.compatibleRuntimes) out.push(`      CompatibleRuntimes: [${options.compatibleRuntimes.join(', ')}]`);
  if (options.compatibleArchitectures) out.push(`      CompatibleArchitectures: [${options.compatibleArchitectures.join(', ')}]`);
  if (options.buildMethod || options.buildArchitecture) {
    out.push('    Metadata:');
    if (options.buildMethod) out.push(`      BuildMethod: ${options.buildMethod}`);
    if (options.buildArchitecture) out.push(`      BuildArchitecture: ${options.buildArchitecture}`);
  }
  return out;
}

export interface FunctionOptions {
  runtime?: string;
  architectures?: string[];
  layers?: string[];
  codeUri?: string;
  handler?: string;
}

/** A function resource as YAML lines; `layers` entries are written as given (e.g. '!Ref DepsLayer'). */
export function functionYaml(id: string, options: FunctionOptions = {}): string[] {
  const out = [`  ${id}:`, '    Type: AWS::Serverless::Function', '    Properties:'];
  out.push(`      CodeUri: ${options.codeUri ?? `functions/${id}/`}`);
  out.push(`      Handler: ${options.handler ?? 'app.handler'}`);
  if (options.runtime) out.push(`      Runtime: ${options.runtime}`);
  if (options.architectures) out.push(`      Architectures: [${options.architectures.join(', ')}]`);
  if (options.layers) out.push('      Layers:', ...options.layers.map((l) => `        - ${l}`));
  return out;
}

/** A template with only a Resources section, made of resource line blocks. */
export function resources(...blocks: string[][]): string {
  return lines('Resources:', ...blocks.flat());
}

/** Runs fn, which must throw, and returns what it threw. */
export function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to throw, but it returned');
}

/** Runs fn, which must throw an InputError, and returns it. */
export function inputErrorFrom(fn: () => unknown): InputError {
  const error = thrownBy(fn);
  if (!(error instanceof InputError)) throw new Error(`expected an InputError, got ${String(error)}`);
  return error;
}

export function at(line?: number, file = TEMPLATE_FILE): SourceLocation {
  return { file, line };
}

export function layerSpec(overrides: Partial<LayerSpec> & Pick<LayerSpec, 'name'>): LayerSpec {
  const contentDir = overrides.contentDir ?? `${ROOT}/layers/${overrides.name}`;
  return {
    contentDir,
    requirementsFile: `${contentDir}/requirements.txt`,
    runtime: 'python3.12',
    architecture: 'x86_64',
    compatibleRuntimes: [],
    compatibleArchitectures: [],
    location: { file: TEMPLATE_FILE, line: 3 },
    ...overrides
  };
}

export function functionSpec(overrides: Partial<FunctionSpec> & Pick<FunctionSpec, 'name'>): FunctionSpec {
  const codeDir = overrides.codeDir ?? `${ROOT}/functions/${overrides.name}`;
  return {
    codeDir,
    handler: 'app.handler',
    runtime: 'python3.12',
    architecture: 'x86_64',
    layers: [],
    requirementsFile: `${codeDir}/requirements.txt`,
    location: { file: TEMPLATE_FILE, line: 10 },
    ...overrides
  };
}

export function makeApp(layers: LayerSpec[], functions: FunctionSpec[] = []): App {
  return { templateFile: TEMPLATE_FILE, rootDir: ROOT, layers, functions, skipped: [] };
}

export function makeConfig(overrides: Partial<FileConfig> = {}): FileConfig {
  return { ...DEFAULT_CONFIG, ...overrides };
}

export function makeSettings(overrides: Partial<Settings> = {}): Settings {
  return {
    workingDirectory: ROOT,
    templateFile: TEMPLATE_FILE,
    outDir: `${ROOT}/.lambda-layers`,
    reportFile: `${ROOT}/.lambda-layers/report.json`,
    cacheDir: '/cache/lambda-layers',
    python: 'python3',
    installer: 'pip',
    allowSdist: [],
    slim: {},
    layers: [],
    ...overrides
  };
}

export function layerReport(overrides: Partial<LayerReport> & Pick<LayerReport, 'name'>): LayerReport {
  return {
    runtime: 'python3.12',
    architecture: 'x86_64',
    buildKey: '0123456789abcdef0123456789abcdef',
    cacheHit: false,
    slimming: slimmingReport(emptySlimLog(true, 0, 'bytecode')),
    violations: [],
    warnings: [],
    unzippedBytes: 0,
    zippedBytes: 0,
    fileCount: 0,
    sha256: 'f'.repeat(64),
    zipFile: `layers/${overrides.name}.zip`,
    packages: [],
    ...overrides
  };
}

export function functionReport(overrides: Partial<FunctionReport> & Pick<FunctionReport, 'name'>): FunctionReport {
  return {
    runtime: 'python3.12',
    architecture: 'x86_64',
    layers: [],
    codeUnzippedBytes: 0,
    totalUnzippedBytes: 0,
    zippedBytes: 0,
    fileCount: 0,
    sha256: 'e'.repeat(64),
    zipFile: `functions/${overrides.name}.zip`,
    packages: [],
    directUpload: true,
    unknownLayers: [],
    withinLimits: true,
    verification: { status: 'passed', python: '3.12.1', modules: 1, handlerImportMs: 1, failures: [] },
    violations: [],
    warnings: [],
    ...overrides
  };
}

export function makeReport(overrides: Partial<Report> = {}): Report {
  return {
    version: REPORT_VERSION,
    tool: { name: 'lambda-layers', version: '0.1.0' },
    template: 'template.yaml',
    limits: LAMBDA_LIMITS,
    layers: [],
    functions: [],
    withinLimits: true,
    verified: true,
    skipped: [],
    ...overrides
  };
}

/** Action inputs as the runner passes them, by action.yml name; unset ones read as empty, as core.getInput reads them. */
export function actionInputsFrom(inputs: Partial<Record<InputName, string>>): InputSource {
  return actionInputs((name) => inputs[name as InputName] ?? '');
}

/** CLI flags parsed as the CLI parses them, for the option table of a command. */
export function cliInputsFrom(args: string[], options: readonly CliOption[]): InputSource {
  return cliInputs(parseArgs({ args, options: parseArgsOptions(options), strict: true }).values, options);
}
