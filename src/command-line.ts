import { parseArgs } from 'node:util';
import { FolderCache } from './build-cache.js';
import { exitCodeFor, ExitCode, formatLocation, LocatedError, type SourceLocation } from './errors.js';
import type { Logger } from './logger.js';
import { mergeReportFiles } from './merge-report-files.js';
import { runPipeline, type Mode } from './pipeline.js';
import { renderTable } from './render-table.js';
import { resolveSettings } from './settings.js';
import { TOOL } from './tool.js';

const USAGE = `Usage: lambda-layers <build|check> [options]
       lambda-layers merge <report files...> [--report <file>]

  build   install each layer's requirements for its Lambda runtime, package each
          function, zip deterministically, check sizes, write the report
  check   re-check the sizes of an existing build against the limits
  merge   merge the reports of jobs that built some layers each (--layers) into one
          report, checked against the limits like a build's

Options:
  --template <file>           SAM template (default: template.yaml)
  --working-directory <dir>   repository root; paths are relative to it (default: .)
  --out <dir>                 output folder (default: .lambda-layers)
  --report <file>             JSON report (default: <out>/report.json)
  --config <file>             config file (default: lambda-layers.yaml if present)
  --cache-dir <dir>           build cache (default: ~/.cache/lambda-layers)
  --python <exe>              Python that runs pip (default: python3)
  --allow-sdist <names>       comma-separated projects that may be built from source
  --no-slim                   build naive layers: what pip installs, nothing removed
  --bytecode <mode>           bytecode (default), source+bytecode or source
  --no-strip                  do not strip extension modules
  --slim-remove <globs>       comma-separated extra globs to remove (relative to the site folder)
  --slim-keep <globs>         comma-separated globs never to remove
  --layers <names>            build and report only these template layers (comma-separated; a
                              matrix job's share); lower layers they stack on are built too
  --verbose                   print pip's output
  -h, --help                  this help
  --version                   the version

Exit codes: 0 within limits, 1 over a limit or a build failure, 2 bad input.`;

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

/** The CLI: parses flags into settings, runs the engine, prints the table; returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    console.error(`error: ${(error as Error).message}\n\n${USAGE}`);
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
  if ((command !== 'build' && command !== 'check' && command !== 'merge') || (extra.length > 0) !== (command === 'merge')) {
    console.error(`error: expected build, check, or merge with report files; got ${JSON.stringify(positionals.join(' '))}\n\n${USAGE}`);
    return ExitCode.badInput;
  }
  const logger = terminalLogger(values.verbose ?? false);
  try {
    const settings = resolveSettings(
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
    const report =
      command === 'merge'
        ? await mergeReportFiles(extra, process.cwd(), settings.reportFile, 'merge')
        : await runPipeline(settings, command as Mode, { logger, cache: new FolderCache(settings.cacheDir), today: new Date() });
    console.log(renderTable(report));
    console.error(`report: ${settings.reportFile}`);
    if (!report.withinLimits || !report.verified) {
      console.error(`error: ${report.withinLimits ? 'verification failed' : 'over the Lambda limits'} (details above)`);
      return ExitCode.failed;
    }
    return ExitCode.ok;
  } catch (error) {
    // InputError and BuildError carry their own location in the message.
    console.error(`error: ${(error as Error).message}`);
    if (!(error instanceof LocatedError)) console.error((error as Error).stack);
    return exitCodeFor(error);
  }
}
