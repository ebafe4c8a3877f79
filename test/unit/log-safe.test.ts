import { logSafe, safeLogger, type Logger } from '../../src/shared/logger.js';
import { workflowCommands } from '../helpers/workflow-commands.js';

const HOSTILE = [
  '::error title=forged::pwned',
  '::stop-commands::token',
  '   ::warning::indented',
  '\t\u00a0\u2003\u0085::notice::unicode whitespace',
  'Core\n::error::after a line feed',
  'Core\r::error::after a carriage return',
  'Core\r\n::add-mask::secret',
  'row x##[error]v1 commands are read anywhere in a line',
  '##[group]a forged group',
  'pip: ERROR: Invalid requirement: "x##[warning]y" (from line 1)'
];

describe('logSafe', () => {
  test('the reader used by the tests finds every command in the hostile lines', () => {
    for (const text of HOSTILE) expect(workflowCommands(text)).toHaveLength(1);
  });

  test.each(HOSTILE)('no line of %j starts a workflow command once escaped, and its text stays readable', (text) => {
    const safe = logSafe(text);
    expect(workflowCommands(safe)).toEqual([]);
    // Only the command's first colon or bracket is escaped, visibly.
    expect(safe.replace(/%3A/g, ':').replace(/%5B/g, '[')).toBe(text.replace(/\r\n?/g, '\n'));
  });

  test('ordinary lines are left as they are', () => {
    const table = 'layer      unzipped\n---------  --------\nCoreLayer  1.2 MiB  http://x:8080 a::b';
    expect(logSafe(table)).toBe(table);
  });

  test('safeLogger escapes messages, titles and tool output before they reach the log', () => {
    const lines: string[] = [];
    const sink: Logger = {
      info: (m) => lines.push(m),
      warning: (m) => lines.push(m),
      error: (m) => lines.push(m),
      detail: (title, text) => lines.push(title, text)
    };
    const logger = safeLogger(sink);
    logger.info('layer ::error::x');
    logger.info('::error::x');
    logger.warning('a\n::stop-commands::t');
    logger.error('##[error]x');
    logger.detail('::group::pip', 'Collecting x\n::error::forged');
    expect(workflowCommands(lines.join('\n'))).toEqual([]);
    expect(lines[0]).toBe('layer ::error::x');
  });
});
