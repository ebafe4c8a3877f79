import { systemTools } from '../tools/system-tools.js';
import { parseArgs } from 'node:util';
import { build } from '../commands/build.js';
import { check } from '../commands/check.js';
import { invoke } from '../commands/invoke.js';
import { Output, type Command, type CommandResult } from '../commands/command.js';
import { merge } from '../commands/merge.js';
import { publish } from '../commands/publish.js';
import { rollback } from '../commands/rollback.js';
import { renderTable } from '../report/render-table.js';
import {
  exitCodeFor,
  ExitCode,
  formatLocation,
  LocatedError,
  type SourceLocation,
  errorMessage,
  describeSystemError
} from '../shared/errors.js';
import { logSafe, safeLogger, type Logger } from '../shared/logger.js';
import { TOOL } from '../shared/tool.js';
import { withToolsTemp } from '../shared/scratch.js';
import { cliInputs, type CliOption, type CliPositionals, type ParsedValues } from './inputs.js';
import {
  BUILD_OPTIONS,
  GLOBAL_OPTIONS,
  INVOKE_OPTIONS,
  MERGE_OPTIONS,
  parseArgsOptions,
  PUBLISH_OPTIONS,
  renderOptions,
  ROLLBACK_OPTIONS
} from './options.js';

interface CliCommand {
  name: string;
  /** What it does, for the overview (one entry per line). */
  summary: string[];
  /** What follows the command's name in its usage line. */
  synopsis: string;
  /** More about it, for its own --help. */
  description?: string;
  /** Option groups, by heading. */
  options: ReadonlyArray<{ heading: string; options: readonly CliOption[] }>;
  positionals?: CliPositionals;
  footer: string;
  run: Command;
  /** What goes to stdout besides the size table. */
  print?: (result: CommandResult) => string | undefined;
}

const CREDENTIALS = "Credentials come from the AWS SDK's default chain (environment, profile, OIDC web identity).";
const BUILD_EXIT_CODES = 'Exit codes: 0 within limits, 1 over a limit or a build failure, 2 bad input.';

const BUILD_OPTION_GROUPS = [{ heading: 'Options', options: BUILD_OPTIONS }];

const COMMANDS: readonly CliCommand[] = [
  {
    name: 'build',
    summary: [
      "install each layer's requirements for its Lambda runtime, package each",
      'function, zip deterministically, check sizes, write the report'
    ],
    synopsis: '[options]',
    options: BUILD_OPTION_GROUPS,
    footer: BUILD_EXIT_CODES,
    run: build
  },
  {
    name: 'check',
    summary: ['re-check the sizes of an existing build against the limits'],
    synopsis: '[options]',
    options: BUILD_OPTION_GROUPS,
    footer: BUILD_EXIT_CODES,
    run: check
  },
  {
    name: 'merge',
    summary: [
      'merge the reports of jobs that built some layers each (--layers) into one',
      "report, checked against the limits like a build's"
    ],
    synopsis: '<report files...> [options]',
    options: [{ heading: 'Options', options: MERGE_OPTIONS }],
    positionals: { input: 'reports', label: 'merge', usage: '<report files...>' },
    footer: BUILD_EXIT_CODES,
    run: merge
  },
  {
    name: 'publish',
    summary: ['build, then publish a new version of each layer whose zip changed'],
    synopsis: '[options]',
    description: `Builds like build (using the cache), then publishes each layer as a new Lambda layer version
unless its latest version has the same zip (SHA-256): re-running a release publishes nothing.
Zips over 50 MB go through S3. Writes a rollback manifest and prints the layer ARNs as JSON.`,
    options: [
      { heading: 'Publish options', options: PUBLISH_OPTIONS },
      { heading: 'Build options', options: BUILD_OPTIONS }
    ],
    footer: `${CREDENTIALS}\nExit codes: 0 published (or nothing to publish), 1 a build or publish failure, 2 bad input.`,
    run: publish,
    print: ({ outputs }) => {
      const arns = (name: string | undefined) => (name ? (JSON.parse(name) as Record<string, string>) : undefined);
      const layerArns = arns(outputs[Output.layerArns]);
      return layerArns && JSON.stringify({ layerArns, previousLayerArns: arns(outputs[Output.previousLayerArns]) }, null, 2);
    }
  },
  {
    name: 'invoke',
    summary: ['run one built function with an event as Lambda runs it (its runtime', 'interface client, its limits), without Docker'],
    synopsis: '<Function> [--event <file|->] [options]',
    description: `Runs the function from the last build's zips: its zip as the task root, its layers in order as /opt
(read-only where the machine allows a private mount namespace), the runtime's CPython with Lambda's
search path and environment (the template's Environment.Variables as far as they resolve), and
awslambdaric, Lambda's runtime interface client, against a Runtime API served on 127.0.0.1.
Timeout and MemorySize are enforced. The response goes to stdout; the function's logs and
Lambda's REPORT line (Duration, Billed Duration, Max Memory Used, Init Duration) to stderr.`,
    options: [{ heading: 'Options', options: INVOKE_OPTIONS }],
    positionals: { input: 'function', label: 'invoke', usage: '<Function>' },
    footer: "Exit codes: 0 the function answered, 1 it failed (its error, in Lambda's shape, on stdout), 2 bad input.",
    run: invoke,
    // The function's text: a line a runner would read as a workflow command is escaped.
    print: ({ outputs }) => {
      const response = outputs[Output.response];
      return response === undefined ? undefined : logSafe(response);
    }
  },
  {
    name: 'rollback',
    summary: ['point functions back at the previous layer versions of a rollback manifest'],
    synopsis: '[options]',
    description: `Points each function of a rollback manifest (written by publish) whose name is known back at
the previous versions of the layers that release published, keeping its other layers in order,
and waits for each update. A layer published for the first time has no previous version.`,
    options: [{ heading: 'Options', options: ROLLBACK_OPTIONS }],
    footer: `${CREDENTIALS}\nExit codes: 0 rolled back (or nothing to do), 1 a function could not be rolled back, 2 bad input.`,
    run: rollback,
    print: ({ outputs }) => outputs[Output.parameterOverrides]
  }
];

const optionsOf = (command: CliCommand) => [...command.options.flatMap((g) => g.options), ...GLOBAL_OPTIONS];

function commandUsage(command: CliCommand): string {
  const groups = command.options.map((g, i) => {
    const globals = i === command.options.length - 1 ? GLOBAL_OPTIONS.filter((o) => o.flag !== 'version') : [];
    return `${g.heading}:\n${renderOptions([...g.options, ...globals])}`;
  });
  const description = command.description ? `\n\n${command.description}` : '';
  return `Usage: lambda-layers ${command.name} ${command.synopsis}${description}\n\n${groups.join('\n\n')}\n\n${command.footer}`;
}

/** The overview: commands sharing a synopsis and options share a usage line (`<build|check>`); the build flags. */
function overview(): string {
  const lines: Array<{ names: string[]; command: CliCommand }> = [];
  for (const command of COMMANDS) {
    const same = lines.find((l) => l.command.synopsis === command.synopsis && l.command.options === command.options);
    if (same) same.names.push(command.name);
    else lines.push({ names: [command.name], command });
  }
  const usage = lines.map(({ names, command }, i) => {
    const name = names.length > 1 ? `<${names.join('|')}>` : names[0];
    const more = command.description ? `  (see ${command.name} --help)` : '';
    return `${i === 0 ? 'Usage:' : '      '} lambda-layers ${name} ${command.synopsis}${more}`;
  });
  const width = Math.max(...COMMANDS.map((c) => c.name.length)) + 4;
  const summaries = COMMANDS.flatMap((c) => c.summary.map((line, i) => `  ${(i === 0 ? c.name : '').padEnd(width)}${line}`));
  return `${usage.join('\n')}\n\n${summaries.join('\n')}\n\nOptions:\n${renderOptions([...BUILD_OPTIONS, ...GLOBAL_OPTIONS])}\n\n${BUILD_EXIT_CODES}`;
}

function where(location?: SourceLocation): string {
  return location ? `${formatLocation(location)}: ` : '';
}

function terminalLogger(verbose: boolean): Logger {
  return safeLogger({
    info: (message) => console.error(message),
    warning: (message, location) => console.error(`warning: ${where(location)}${message}`),
    error: (message, location) => console.error(`error: ${where(location)}${message}`),
    detail: (title, text) => {
      if (verbose) console.error(`--- ${title}\n${text.trimEnd()}\n---`);
    }
  });
}

function badInput(message: string, usage: string): number {
  console.error(`error: ${message}\n\n${usage}`);
  return ExitCode.badInput;
}

/** The CLI: finds the command, parses its flags (global flags anywhere), runs it, prints; returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  // A lenient pass over every flag finds the command, whatever comes before it (`--verbose publish`).
  const everyOption = parseArgsOptions([...new Set(COMMANDS.flatMap(optionsOf))]);
  const first = parseArgs({ args: argv, options: everyOption, allowPositionals: true, strict: false });
  const name = first.positionals[0];
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    if (first.values['help']) return (console.log(overview()), ExitCode.ok);
    if (first.values['version']) return (console.log(TOOL.version), ExitCode.ok);
    const names = COMMANDS.map((c) => c.name).join(', ');
    return badInput(`expected a command (${names}); got ${JSON.stringify(first.positionals.join(' '))}`, overview());
  }
  let values: ParsedValues;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: argv,
      options: parseArgsOptions(optionsOf(command)),
      allowPositionals: true,
      strict: true
    }));
  } catch (error) {
    return badInput(errorMessage(error), commandUsage(command));
  }
  if (values['help']) return (console.log(commandUsage(command)), ExitCode.ok);
  if (values['version']) return (console.log(TOOL.version), ExitCode.ok);
  const rest = positionals.slice(1);
  if (rest.length && !command.positionals)
    return badInput(`${command.name} takes no arguments, got ${JSON.stringify(rest.join(' '))}`, commandUsage(command));
  try {
    const inputs = cliInputs(values, optionsOf(command), command.positionals && { spec: command.positionals, values: rest });
    const logger = terminalLogger(values['verbose'] === true);
    const result = await withToolsTemp(process.env, (toolsEnv) =>
      command.run(inputs, {
        logger,
        env: process.env,
        cwd: process.cwd(),
        now: () => new Date(),
        clock: () => performance.now(),
        tools: systemTools(toolsEnv)
      })
    );
    if (result.report) console.log(logSafe(renderTable(result.report)));
    if (result.outputs[Output.report]) console.error(`report: ${result.outputs[Output.report]}`);
    const printed = command.print?.(result);
    if (printed) console.log(printed);
    if (!result.failure) return ExitCode.ok;
    console.error(logSafe(`error: ${result.failure}`));
    return ExitCode.failed;
  } catch (error) {
    // InputError and BuildError carry their location, and a system error (a full disk, a read-only folder) says
    // its path and cause: one line each. Anything else is a bug: its stack helps, as it does with LAMBDA_LAYERS_DEBUG=1.
    const system = describeSystemError(error);
    console.error(logSafe(`error: ${system?.message ?? errorMessage(error)}`));
    const bug = !(error instanceof LocatedError) && !system;
    if (bug || process.env['LAMBDA_LAYERS_DEBUG'] === '1') {
      console.error(logSafe(error instanceof Error ? String(error.stack) : String(error)));
    }
    return system?.exit ?? exitCodeFor(error);
  }
}
