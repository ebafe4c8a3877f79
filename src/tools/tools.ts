import type { Architecture, Platform } from '../lambda/platform.js';

/**
 * The programs a build runs: pip, the runtime's CPython, strip. The engine reaches them only through
 * this port, so it can run in-process against fakes; `systemTools` (system-tools.ts) runs the real ones.
 */
export interface Tools {
  /** pip, run by the given interpreter (any Python 3: wheels are chosen for the target, not for it). */
  pip(python: string): Pip;
  /**
   * The runtime's CPython on this machine: one that runs the platform's CPU first, the configured one first;
   * else one of the version on another CPU (bytecode only). None found is not an error (callers skip what
   * needs one, with a warning); a configured one that is not a CPython of the version is an InputError.
   */
  findPython(platform: Platform, configured: Readonly<Record<string, string>>): Promise<TargetPython | undefined>;
  /** A strip that understands the architecture's ELF files. */
  strip(architecture: Architecture): Strip;
  /** GNU make, for BuildMethod makefile: runs a target as `sam build` does, with ARTIFACTS_DIR set. */
  make: Make;
  /** uv, when this machine has it (on PATH, or as `python -m uv` for the given Python). */
  uv(python: string): Promise<Installer | undefined>;
}

/** What installs requirements into a folder: pip (the reference), or uv's pip interface. */
export interface Installer {
  name: 'pip' | 'uv';
  /** "pip 23.2.1 (python 3.11)", "uv 0.13.9": it picks the releases, so it enters every build key and the report. */
  identity: string;
  /** Where it keeps its downloads and the wheels it built; undefined when its cache is turned off. */
  cacheDir(): Promise<string | undefined>;
  /** Installs wheels only, for the target platform, into a folder, without bytecode. */
  install(request: InstallRequest): Promise<PipResult>;
}

export interface Make {
  run(makefile: string, target: string, cwd: string, artifactsDir: string): Promise<{ ok: boolean; output: string }>;
}

export interface PipResult {
  ok: boolean;
  /** stdout then stderr, as pip printed them. */
  output: string;
}

export interface InstallRequest {
  platform: Platform;
  requirementsFile: string;
  constraintsFile?: string;
  targetDir: string;
  /** Folders of wheels built from allowed sdists. */
  findLinks: readonly string[];
  pipArgs: readonly string[];
}

export interface Pip {
  /** "pip 23.2.1 (python 3.11)": which pip resolves, without the install path. */
  identity(): Promise<string>;
  /** Where pip keeps its downloads and the wheels it built; undefined when its cache is turned off. */
  cacheDir(): Promise<string | undefined>;
  /** pip's configuration that changes where releases come from (index-url, find-links, ...): "key (where)" each. */
  configuredSources(): Promise<string[]>;
  /** Installs wheels only, for the target platform, into a folder, without bytecode. */
  install(request: InstallRequest): Promise<PipResult>;
  /** Builds a wheel from an sdist the user allowed: this runs the project's build code on this machine. */
  wheel(requirement: string, wheelDir: string, pipArgs: readonly string[]): Promise<PipResult>;
  /** pip's debug log about one requirement's candidates, to explain why none was chosen. */
  explainNoMatch(platform: Platform, requirement: string, pipArgs: readonly string[]): Promise<string>;
  /**
   * Each environment marker judged by pip's own parser in each given environment (PEP 508 variables):
   * a verdict per environment, or the parser's message for an invalid marker.
   */
  evaluateMarkers(markers: readonly string[], environments: ReadonlyArray<Record<string, string>>): Promise<Array<boolean[] | string>>;
}

export interface CompileOptions {
  /** Legacy .pyc beside each .py, which is then removed; else __pycache__ beside the sources. */
  sourceless: boolean;
  /** 0, or 2 as `python -OO` (no docstrings, no asserts). */
  optimize: 0 | 2;
  /** Where the folder will be on Lambda: the source path each .pyc records. */
  deployedAt: string;
}

export interface ImportRequest {
  /** Prepended to sys.path, in Lambda's order. */
  sysPath: readonly string[];
  handler: string;
  modules: readonly string[];
  /** Distributions whose metadata importlib.metadata must find. */
  distributions: readonly string[];
  /** LAMBDA_TASK_ROOT, the function's folder. */
  taskRoot: string;
  /** A scratch folder the check may write to and run in. */
  workDir: string;
}

export interface ImportOutcome {
  failures: Array<{ module: string; error: string }>;
  /** Cold import of the handler module, in milliseconds. */
  handlerImportMs: number;
}

/** A CPython of a runtime's version: writes its bytecode whatever its CPU, loads its wheels when it runs the target CPU. */
export interface TargetPython {
  /** Where it is, for messages. */
  path: string;
  /** Full version, e.g. "3.12.1": bytecode and loading checks depend on it. */
  version: string;
  /** The CPU it runs on, as platform.machine() says ("x86_64", "aarch64"). */
  machine: string;
  /** importlib.util.MAGIC_NUMBER in hex: the first 4 bytes of every .pyc it writes, one value per bytecode version. */
  magic: string;
  /**
   * Whether it runs on the platform's CPU (natively, or emulated by qemu-user): only then can it load the
   * platform's extension modules. One that does not still writes the same bytecode (PEP 552: no CPU field).
   */
  runsTarget: boolean;
  /** Compiles a site folder to bytecode, in place; returns how many modules have bytecode. */
  compile(siteDir: string, options: CompileOptions): Promise<number>;
  /** Which of the (absolute) files fail to load as the loader would on import: path -> the loader's error. */
  loadFailures(files: readonly string[], workDir: string): Promise<Record<string, string>>;
  /** Imports the handler and modules in a fresh interpreter with nothing of the host (-I -S -B). */
  importModules(request: ImportRequest): Promise<ImportOutcome>;
}

export interface Strip {
  /** "GNU strip (GNU Binutils) 2.40": part of the build key; undefined when no fitting strip is installed. */
  version(): Promise<string | undefined>;
  /** Strips symbols the loader does not need from each file, in place, in one run; false when strip failed on any (those may be damaged). */
  strip(files: readonly string[]): Promise<boolean>;
}
