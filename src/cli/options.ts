import type { CliOption } from './inputs.js';

/** The flags of every command: parsed anywhere in the line. */
export const GLOBAL_OPTIONS: readonly CliOption[] = [
  { flag: 'verbose', help: ["print pip's output"] },
  { flag: 'help', short: 'h', help: ['this help'] },
  { flag: 'version', help: ['the version'] }
];

/** The build flags, shared by build, check and publish. */
export const BUILD_OPTIONS: readonly CliOption[] = [
  { flag: 'template', input: 'template', arg: '<file>', help: ['SAM template (default: template.yaml)'] },
  { flag: 'working-directory', input: 'working-directory', arg: '<dir>', help: ['repository root; paths are relative to it (default: .)'] },
  { flag: 'out', input: 'out', arg: '<dir>', help: ['output folder (default: .lambda-layers)'] },
  { flag: 'report', input: 'report', arg: '<file>', help: ['JSON report (default: <out>/report.json)'] },
  { flag: 'config', input: 'config', arg: '<file>', help: ['config file (default: lambda-layers.yaml if present)'] },
  { flag: 'cache-dir', input: 'cache-dir', arg: '<dir>', help: ['build cache (default: ~/.cache/lambda-layers)'] },
  { flag: 'python', input: 'python', arg: '<exe>', help: ['Python that runs pip (default: python3)'] },
  {
    flag: 'installer',
    input: 'installer',
    arg: '<name>',
    help: ['auto (default: uv when found and it would see what pip sees), pip or uv']
  },
  { flag: 'allow-sdist', input: 'allow-sdist', arg: '<names>', help: ['comma-separated projects that may be built from source'] },
  { flag: 'no-slim', input: 'slim', sets: false, help: ['build naive layers: what pip installs, nothing removed'] },
  {
    flag: 'bytecode',
    input: 'bytecode',
    arg: '<mode>',
    help: ['bytecode (default), optimized (-OO: no docstrings, no asserts),', 'source+bytecode or source']
  },
  { flag: 'no-strip', input: 'strip', sets: false, help: ['do not strip extension modules'] },
  {
    flag: 'slim-remove',
    input: 'slim-remove',
    arg: '<globs>',
    help: ['comma-separated extra globs to remove (relative to the site folder)']
  },
  { flag: 'slim-keep', input: 'slim-keep', arg: '<globs>', help: ['comma-separated globs never to remove'] },
  {
    flag: 'layers',
    input: 'layers',
    arg: '<names>',
    help: [
      'build and report only these template layers (comma-separated; a',
      "matrix job's share); lower layers they stack on are built too"
    ]
  },
  {
    flag: 'parameter-overrides',
    input: 'parameter-overrides',
    arg: '<pairs>',
    multiple: true,
    help: [
      "template parameter values in SAM's syntax: 'Key1=Value1 Key2=Value2'",
      "(repeatable; when given, samconfig.toml's parameter_overrides are not read)"
    ]
  }
];

/** invoke: the event, and the build flags that find the build and the runtime. */
export const INVOKE_OPTIONS: readonly CliOption[] = [
  { flag: 'event', input: 'event', arg: '<file|->', help: ['the event: a JSON file, or - for stdin (default: {})'] },
  ...BUILD_OPTIONS.filter((o) =>
    ['template', 'working-directory', 'out', 'config', 'cache-dir', 'python', 'parameter-overrides'].includes(o.flag)
  )
];

export const PUBLISH_OPTIONS: readonly CliOption[] = [
  { flag: 'region', input: 'region', arg: '<region>', help: ['AWS region (default: AWS_REGION, else AWS_DEFAULT_REGION)'] },
  { flag: 'stack-name', input: 'stack-name', arg: '<name>', help: ['resolves ${AWS::StackName} in LayerName and FunctionName'] },
  { flag: 's3-bucket', input: 's3-bucket', arg: '<bucket>', help: ['bucket for zips over the direct-upload cap (50 MB)'] },
  { flag: 'manifest', input: 'manifest', arg: '<file>', help: ['rollback manifest to write (default: <out>/rollback-manifest.json)'] },
  {
    flag: 'update-functions',
    input: 'update-functions',
    sets: true,
    help: ['point each existing function the template names at the new versions']
  },
  {
    flag: 'keep-versions',
    input: 'keep-versions',
    arg: '<n>',
    help: ['then delete versions older than the newest n (never the current or previous)']
  },
  {
    flag: 'share-with-accounts',
    input: 'share-with-accounts',
    arg: '<ids>',
    help: ['comma-separated account IDs allowed to use the published versions']
  },
  { flag: 'share-with-organization', input: 'share-with-organization', arg: '<o-id>', help: ['an organization allowed to use them'] }
];

export const MERGE_OPTIONS: readonly CliOption[] = [
  { flag: 'report', input: 'report', arg: '<file>', help: ['the merged JSON report (default: <out>/report.json)'] },
  { flag: 'working-directory', input: 'working-directory', arg: '<dir>', help: ['paths are relative to it (default: .)'] },
  { flag: 'out', input: 'out', arg: '<dir>', help: ['output folder, for the default report (default: .lambda-layers)'] }
];

export const ROLLBACK_OPTIONS: readonly CliOption[] = [
  { flag: 'manifest', input: 'manifest', arg: '<file>', help: ['rollback manifest (default: <out>/rollback-manifest.json)'] },
  {
    flag: 'region',
    input: 'region',
    arg: '<region>',
    help: ["AWS region; must be the manifest's (default: AWS_REGION, else the manifest's)"]
  },
  {
    flag: 'print',
    input: 'rollback-mode',
    sets: 'print',
    help: ['only print the previous ARNs as sam deploy --parameter-overrides pairs']
  },
  {
    flag: 'parameter',
    input: 'parameter-names',
    arg: '<id>=<name>',
    multiple: true,
    help: ["with --print: the template parameter for a layer's logical ID (repeatable)"]
  },
  { flag: 'working-directory', input: 'working-directory', arg: '<dir>', help: ['paths are relative to it (default: .)'] },
  { flag: 'out', input: 'out', arg: '<dir>', help: ['output folder, for the default manifest (default: .lambda-layers)'] }
];

const HELP_COLUMN = 30;

/** Usage lines of an option table: the flag, its placeholder, the help aligned in one column. */
export function renderOptions(options: readonly CliOption[]): string {
  return options
    .flatMap((o) => {
      const left = `  ${o.short ? `-${o.short}, ` : ''}--${o.flag}${o.arg ? ` ${o.arg}` : ''}`;
      const [first = '', ...rest] = o.help;
      const head = left.length + 2 > HELP_COLUMN ? `${left}  ${first}` : left.padEnd(HELP_COLUMN) + first;
      return [head, ...rest.map((line) => ' '.repeat(HELP_COLUMN) + line)];
    })
    .join('\n');
}

/** The table parseArgs takes. */
export function parseArgsOptions(
  options: readonly CliOption[]
): Record<string, { type: 'string' | 'boolean'; multiple?: boolean; short?: string }> {
  return Object.fromEntries(
    options.map((o) => [
      o.flag,
      { type: o.arg ? 'string' : 'boolean', ...(o.multiple && { multiple: true }), ...(o.short && { short: o.short }) }
    ])
  );
}
