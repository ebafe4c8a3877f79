import type { SourceLocation } from './errors.js';

/** Where the engine reports progress: the Actions log (with annotations) or a terminal. */
export interface Logger {
  info(message: string): void;
  warning(message: string, where?: SourceLocation): void;
  error(message: string, where?: SourceLocation): void;
  /** Long tool output (pip): folded in the Actions log, kept out of the terminal. */
  detail(title: string, text: string): void;
}

/**
 * Text for a log line that no runner reads as a workflow command, whatever names, pip output or report
 * fields it quotes. The runner splits output at CR and LF, takes `::name ...::` after leading whitespace
 * (.NET's, which includes NEL) and `##[name ...]` anywhere in a line. Those colons and brackets are
 * percent-escaped the way @actions/core escapes command properties: shown, never run. Escaping (rather
 * than `::stop-commands::<token>` around untrusted blocks) keeps our own annotations working between
 * lines and cannot be left switched off by a run that dies before the resume token.
 */
export function logSafe(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/^([\s\u0085]*):(?=:)/gm, '$1%3A')
    .replace(/##\[/g, '##%5B');
}

/** A logger whose every message and title goes through logSafe: what the engine logs may quote untrusted text. */
export function safeLogger(logger: Logger): Logger {
  return {
    info: (message) => logger.info(logSafe(message)),
    warning: (message, where) => logger.warning(logSafe(message), where),
    error: (message, where) => logger.error(logSafe(message), where),
    detail: (title, text) => logger.detail(logSafe(title), logSafe(text))
  };
}
