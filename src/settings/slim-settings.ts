/** How a layer is slimmed. Part of every build key: changing any of it rebuilds. */
export type BytecodeMode = 'bytecode' | 'optimized' | 'source+bytecode' | 'source';
export const BYTECODE_MODES: readonly BytecodeMode[] = ['bytecode', 'optimized', 'source+bytecode', 'source'];

export interface SlimSettings {
  /** False builds the naive layer: what pip installed, nothing removed (for comparison). */
  enabled: boolean;
  /**
   * bytecode: sourceless .pyc only (fast cold start, small); optimized: the same compiled as
   * `python -OO` does, without docstrings and assert statements (smallest; opt-in, since code that
   * reads __doc__ or relies on assert changes behaviour); source+bytecode: both (tracebacks show
   * library source lines; largest); source: no .pyc (every cold start compiles).
   */
  bytecode: BytecodeMode;
  /** Strip extension modules (never auditwheel's *.libs), each verified to still load. */
  strip: boolean;
  /** Extra globs to remove, relative to the site folder. */
  remove: string[];
  /** Globs never removed, whatever rule matches. */
  keep: string[];
  /** Built-in rules to turn off, by name. */
  disable: string[];
  /** Drop boto3 and its dependencies, which the Lambda runtime ships (its own version). */
  dropRuntimeProvided: boolean;
}

export const DEFAULT_SLIM: SlimSettings = {
  enabled: true,
  bytecode: 'bytecode',
  strip: true,
  remove: [],
  keep: [],
  disable: [],
  dropRuntimeProvided: false
};

/** Later settings win for scalars; lists add up (config file first, then inputs or flags). */
export function mergeSlim(base: SlimSettings, over: Partial<SlimSettings>): SlimSettings {
  return {
    enabled: over.enabled ?? base.enabled,
    bytecode: over.bytecode ?? base.bytecode,
    strip: over.strip ?? base.strip,
    remove: [...base.remove, ...(over.remove ?? [])],
    keep: [...base.keep, ...(over.keep ?? [])],
    disable: [...base.disable, ...(over.disable ?? [])],
    dropRuntimeProvided: over.dropRuntimeProvided ?? base.dropRuntimeProvided
  };
}
