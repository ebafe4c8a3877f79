/**
 * The workflow commands a runner would find in a step's output, read the way actions/runner does
 * (src/Runner.Common/ActionCommand.cs): lines split at CR and LF; `::name ...::data` after leading
 * whitespace (TryParseV2); `##[name ...]data` anywhere in a line (TryParse). Any name counts, registered or not.
 */
export function workflowCommands(output: string): string[] {
  const commands: string[] = [];
  for (const line of output.split(/\r\n|\r|\n/)) {
    const trimmed = line.replace(/^[\s\u0085]+/, '');
    const end = trimmed.startsWith('::') ? trimmed.indexOf('::', 2) : -1;
    if (end > 2) commands.push(trimmed.slice(2, end).split(' ')[0]!);
    const v1 = line.indexOf('##[');
    const close = v1 < 0 ? -1 : line.indexOf(']', v1);
    if (close > v1 + 3) commands.push(line.slice(v1 + 3, close).split(' ')[0]!);
  }
  return commands;
}
