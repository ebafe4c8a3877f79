import { parseArgs } from 'node:util';
import { FolderCache } from '../cache/folder-cache.js';
import { exitCodeFor, ExitCode, formatLocation, LocatedError, type SourceLocation, errorMessage } from '../shared/errors.js';
import type { Logger } from '../shared/logger.js';
import { mergeReportFiles } from '../report/merge-files.js';
import { runPipeline, type Mode } from '../build/pipeline.js';
import { renderTable } from '../report/render-table.js';
import type { Report } from '../report/report.js';
import { resolveRollbackSettings, runRollback } from '../rollback/run-rollback.js';
import { checkPublishNames, resolvePublishSettings, runPublish } from '../publish/run-publish.js';
import { resolveSettings, type Settings } from '../settings/settings.js';
import { TOOL } from '../shared/tool.js';
import { systemTools } from '../tools/system-tools.js';

/** The build flags, shared by build, check and publish. */
const BUILD_OPTIONS_HELP = `  --template <file>           SAM template (default: template.yaml)
  --working-directory <dir>   repository root; paths are relative to it (default: .)
  --out <dir>                 output folder (default: .lambda-layers)
  --report <file>             JSON report (default: <out>/report.json)
  --config <file>             config file (default: lambda-layers.yaml if present)
  --cache-dir <dir>           build cache (default: ~/.cache/lambda-layers)
  --python <exe>              Python that runs pip (default: python3)
  --allow-sdist <names>       comma-separated projects that may be built from source
  --no-slim                   build naive layers: what pip installs, nothing removed
  --bytecode <mode>           bytecode (default), optimized (-OO: no docstrings, no asserts),
                              source+bytecode or source
  --no-strip                  do not strip extension modules
  --slim-remove <globs>       comma-separated extra globs to remove (relative to the site folder)
  --slim-keep <globs>         comma-separated globs never to remove
  --layers <names>            build and report only these template layers (comma-separated; a
                              matrix job's share); lower layers they stack on are built too
  --verbose                   print pip's output`;

const USAGE = `Usage: lambda-layers <build|check> [options]
       lambda-layers merge <report files...> [--report <file>]
       lambda-layers publish [options]                        (see publish --help)
       lambda-layers rollback --manifest <file> [options]   (see rollback --help)

  build     install each layer's requirements for its Lambda runtime, package each
            function, zip deterministically, check sizes, write the report
  check     re-check the sizes of an existing build against the limits
  merge     merge the reports of jobs that built some layers each (--layers) into one
            report, checked against the limits like a build's
  publish   build, then publish a new version of each layer whose zip changed
  rollback  point functions back at the previous layer versions of a rollback manifest

Options:
${BUILD_OPTIONS_HELP}
  -h, --help                  this help
  --version                   the version

Exit codes: 0 within limits, 1 over a limit or a build failure, 2 bad input.`;

const PUBLISH_USAGE = `Usage: lambda-layers publish [options]

Builds like build (using the cache), then publishes each layer as a new Lambda layer version
unless its latest version has the same zip (SHA-256): re-running a release publishes nothing.
Zips over 50 MB go through S3. Writes a rollback manifest and prints the layer ARNs as JSON.

Publish options:
  --region <region>           AWS region (default: AWS_REGION, else AWS_DEFAULT_REGION)
  --stack-name <name>         resolves \${AWS::StackName} in LayerName and FunctionName
  --s3-bucket <bucket>        bucket for zips over the direct-upload cap (50 MB)
  --manifest <file>           rollback manifest to write (default: <out>/rollback-manifest.json)
  --update-functions          point each existing function the template names at the new versions
  --keep-versions <n>         then delete versions older than the newest n (never the current or previous)
  --share-with-accounts <ids> comma-separated account IDs allowed to use the published versions
  --share-with-organization <o-id>  an organization allowed to use them

Build options:
${BUILD_OPTIONS_HELP}
  -h, --help                  this help

Credentials come from the AWS SDK's default chain (environment, profile, OIDC web identity).
Exit codes: 0 published (or nothing to publish), 1 a build or publish failure, 2 bad input.`;

const OPTIONS = {
  template: { type: 'string' },
  'working-directory': { type: 'string' },
  out: { type: 'string' },
  report: { type: 'string' },
  config: { type: 'string' },
  'cache-dir': { type: 'string' },
  python: { type: 'string' },
  'allow-sdist': { type: 'string' },
  'no-slim': { type: 'boolean' },
  bytecode: { type: 'string' },
  'no-strip': { type: 'boolean' },
  'slim-remove': { type: 'string' },
  'slim-keep': { type: 'string' },
  layers: { type: 'string' },
  verbose: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' }
} as const;

const PUBLISH_OPTIONS = {
  region: { type: 'string' },
  'stack-name': { type: 'string' },
  's3-bucket': { type: 'string' },
  manifest: { type: 'string' },
  'update-functions': { type: 'boolean' },
  'keep-versions': { type: 'string' },
  'share-with-accounts': { type: 'string' },
  'share-with-organization': { type: 'string' }
} as const;

const PUBLISH_FLAG_NAMES = {
  region: '--region',
  stackName: '--stack-name',
  s3Bucket: '--s3-bucket',
  manifest: '--manifest',
  updateFunctions: '--update-functions',
  keepVersions: '--keep-versions',
  shareWithAccounts: '--share-with-accounts',
  shareWithOrganization: '--share-with-organization'
};

type BuildFlags = ReturnType<typeof parseArgs<{ options: typeof OPTIONS }>>['values'];

function buildSettings(values: BuildFlags): Settings {
  return resolveSettings(
    {
      workingDirectory: values['working-directory'],
      template: values.template,
      config: values.config,
      out: values.out,
      report: values.report,
      cacheDir: values['cache-dir'],
      python: values.python,
      allowSdist: values['allow-sdist'],
      slim: values['no-slim'] ? 'false' : undefined,
      bytecode: values.bytecode,
      strip: values['no-strip'] ? 'false' : undefined,
      slimRemove: values['slim-remove'],
      slimKeep: values['slim-keep'],
      layers: values.layers
    },
    process.cwd(),
    process.env
  );
}

/** Runs the engine and prints the table; undefined when the build is over a limit or failed verification. */
async function buildAndPrint(settings: Settings, mode: Mode, logger: Logger): Promise<Report | undefined> {
  return printReport(
    settings,
    await runPipeline(settings, mode, {
      logger,
      cache: new FolderCache(settings.cacheDir),
      today: new Date(),
      tools: systemTools(process.env)
    })
  );
}

function printReport(settings: Settings, report: Report): Report | undefined {
  console.log(renderTable(report));
  console.error(`report: ${settings.reportFile}`);
  if (report.withinLimits && report.verified) return report;
  console.error(`error: ${report.withinLimits ? 'verification failed' : 'over the Lambda limits'} (details above)`);
  return undefined;
}

function where(location?: SourceLocation): string {
  return location ? `${formatLocation(location)}: ` : '';
}

function terminalLogger(verbose: boolean): Logger {
  return {
    info: (message) => console.error(message),
    warning: (message, location) => console.error(`warning: ${where(location)}${message}`),
    error: (message, location) => console.error(`error: ${where(location)}${message}`),
    detail: (title, text) => {
      if (verbose) console.error(`--- ${title}\n${text.trimEnd()}\n---`);
    }
  };
}

/** Prints an error and returns its exit code. InputError and BuildError carry their own location in the message. */
function failure(error: unknown): number {
  console.error(`error: ${errorMessage(error)}`);
  if (!(error instanceof LocatedError)) console.error((error as Error).stack);
  return exitCodeFor(error);
}

const ROLLBACK_USAGE = `Usage: lambda-layers rollback [options]

Points each function of a rollback manifest (written by publish) whose name is known back at
the previous versions of the layers that release published, keeping its other layers in order,
and waits for each update. A layer published for the first time has no previous version.

Options:
  --manifest <file>           rollback manifest (default: <out>/rollback-manifest.json)
  --region <region>           AWS region; must be the manifest's (default: AWS_REGION, else the manifest's)
  --print                     only print the previous ARNs as sam deploy --parameter-overrides pairs
  --parameter <id>=<name>     with --print: the template parameter for a layer's logical ID (repeatable)
  --working-directory <dir>   paths are relative to it (default: .)
  --out <dir>                 output folder, for the default manifest (default: .lambda-layers)
  -h, --help                  this help

Credentials come from the AWS SDK's default chain (environment, profile, OIDC web identity).
Exit codes: 0 rolled back (or nothing to do), 1 a function could not be rolled back, 2 bad input.`;

const ROLLBACK_OPTIONS = {
  manifest: { type: 'string' },
  region: { type: 'string' },
  print: { type: 'boolean' },
  parameter: { type: 'string', multiple: true },
  'working-directory': { type: 'string' },
  out: { type: 'string' },
  help: { type: 'boolean', short: 'h' }
} as const;

/** `lambda-layers rollback`: the previous layer versions back on the functions, or printed. */
async function rollbackMain(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({ args: argv, options: ROLLBACK_OPTIONS, strict: true }));
  } catch (error) {
    console.error(`error: ${errorMessage(error)}\n\n${ROLLBACK_USAGE}`);
    return ExitCode.badInput;
  }
  if (values.help) {
    console.log(ROLLBACK_USAGE);
    return ExitCode.ok;
  }
  try {
    const settings = resolveRollbackSettings(
      {
        workingDirectory: values['working-directory'],
        out: values.out,
        manifest: values.manifest,
        region: values.region,
        print: values.print,
        parameterNames: values.parameter
      },
      process.cwd(),
      process.env,
      '--parameter'
    );
    const result = await runRollback(settings, process.env, terminalLogger(false));
    if (result.mode === 'print') {
      console.log(result.overrides.join(' '));
      return ExitCode.ok;
    }
    if (!result.outcome.ok) {
      console.error('error: not every function could be rolled back (details above)');
      return ExitCode.failed;
    }
    return ExitCode.ok;
  } catch (error) {
    return failure(error);
  }
}

/** The CLI: parses flags into settings, runs the engine, prints the table; returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  if (argv[0] === 'rollback') return rollbackMain(argv.slice(1));
  if (argv[0] === 'publish') return publishMain(argv.slice(1));
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    console.error(`error: ${errorMessage(error)}\n\n${USAGE}`);
    return ExitCode.badInput;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(USAGE);
    return ExitCode.ok;
  }
  if (values.version) {
    console.log(TOOL.version);
    return ExitCode.ok;
  }
  const [command, ...extra] = positionals;
  if ((command !== 'build' && command !== 'check' && command !== 'merge') || extra.length > 0 !== (command === 'merge')) {
    console.error(`error: expected build, check, or merge with report files; got ${JSON.stringify(positionals.join(' '))}\n\n${USAGE}`);
    return ExitCode.badInput;
  }
  const logger = terminalLogger(values.verbose ?? false);
  try {
    const settings = buildSettings(values);
    const report =
      command === 'merge'
        ? printReport(settings, await mergeReportFiles(extra, process.cwd(), settings.reportFile, 'merge'))
        : await buildAndPrint(settings, command, logger);
    return report ? ExitCode.ok : ExitCode.failed;
  } catch (error) {
    return failure(error);
  }
}

/** `lambda-layers publish`: build, then publish the layers whose zip changed; the ARNs go to stdout as JSON. */
async function publishMain(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({ args: argv, options: { ...OPTIONS, ...PUBLISH_OPTIONS }, strict: true }));
  } catch (error) {
    console.error(`error: ${errorMessage(error)}\n\n${PUBLISH_USAGE}`);
    return ExitCode.badInput;
  }
  if (values.help) {
    console.log(PUBLISH_USAGE);
    return ExitCode.ok;
  }
  const logger = terminalLogger(values.verbose ?? false);
  try {
    const settings = buildSettings(values);
    // Bad publish input (region, bucket, names) fails before the build.
    const publish = resolvePublishSettings(
      {
        region: values.region,
        stackName: values['stack-name'],
        s3Bucket: values['s3-bucket'],
        manifest: values.manifest,
        updateFunctions: values['update-functions'] ? 'true' : undefined,
        keepVersions: values['keep-versions'],
        shareWithAccounts: values['share-with-accounts'],
        shareWithOrganization: values['share-with-organization']
      },
      settings,
      process.env,
      PUBLISH_FLAG_NAMES
    );
    await checkPublishNames(settings, publish);
    const report = await buildAndPrint(settings, 'build', logger);
    if (!report) {
      console.error('error: nothing published');
      return ExitCode.failed;
    }
    const result = await runPublish(settings, publish, report, process.env, new Date(), logger);
    console.log(JSON.stringify({ layerArns: result.layerArns, previousLayerArns: result.previousLayerArns }, null, 2));
    if (result.failures.length) {
      console.error(`error: publishing did not complete, re-run to resume:\n  ${result.failures.join('\n  ')}`);
      return ExitCode.failed;
    }
    return ExitCode.ok;
  } catch (error) {
    return failure(error);
  }
}
