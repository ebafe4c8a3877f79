import type { SourceLocation } from './errors.js';

/** Where the engine reports progress: the Actions log (with annotations) or a terminal. */
export interface Logger {
  info(message: string): void;
  warning(message: string, where?: SourceLocation): void;
  error(message: string, where?: SourceLocation): void;
  /** Long tool output (pip): folded in the Actions log, kept out of the terminal. */
  detail(title: string, text: string): void;
}
