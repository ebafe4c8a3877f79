export interface WorkflowCommand {
  name: string;
  line: string;
}

/** The runner's commands (ActionCommandManager.cs), matched case-insensitively. */
const REGISTERED = new Set(
  'add-mask add-matcher add-path debug echo endgroup error group internal-set-repo-path notice remove-matcher save-state set-env set-output stop-commands warning'.split(
    ' '
  )
);

/**
 * The workflow commands a runner would find in a step's output, read the way actions/runner does
 * (src/Runner.Common/ActionCommand.cs, ActionCommandManager.TryProcessCommand): lines split at CR and LF;
 * `::name ...::data` after leading whitespace (TryParseV2); failing that, `##[name ...]data` anywhere in the
 * line (TryParse). Names the runner does not know count too: a stop token becomes one.
 */
export function workflowCommands(output: string): WorkflowCommand[] {
  const commands: WorkflowCommand[] = [];
  for (const line of output.split(/\r\n|\r|\n/)) {
    const trimmed = line.replace(/^[\s\u0085]+/, '');
    const end = trimmed.startsWith('::') ? trimmed.indexOf('::', 2) : -1;
    if (end > 2) {
      const name = trimmed.slice(2, end).split(' ')[0]!;
      commands.push({ name, line });
      if (REGISTERED.has(name.toLowerCase())) continue;
    }
    const v1 = line.indexOf('##[');
    const close = v1 < 0 ? -1 : line.indexOf(']', v1);
    if (close > v1 + 3) commands.push({ name: line.slice(v1 + 3, close).split(' ')[0]!, line });
  }
  return commands;
}

/** What this action writes through @actions/core: one line each, data escaped. */
const OURS = new Set(['error', 'warning', 'notice', 'debug', 'group', 'endgroup', 'set-output', 'add-mask']);

/**
 * Commands the hostile input wrote rather than we did, given the marker every hostile payload carries in
 * its command and its data: v1 commands (we write none), names we never write, or the marker in the
 * command part or at the start of the data (our messages may quote a payload, never start with it).
 */
export function forgedCommands(output: string, marker: string): WorkflowCommand[] {
  return workflowCommands(output).filter(({ name, line }) => {
    const v2 = /^[\s\u0085]*::([^]*?)::([^]*)$/.exec(line);
    if (!v2) return true;
    return !OURS.has(name) || v2[1]!.includes(marker) || v2[2]!.startsWith(marker);
  });
}
