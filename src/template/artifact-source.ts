/**
 * What kind of artifact a resource becomes and what of its folder goes in, as `sam build` decides it
 * (aws-sam-cli build_context.is_layer_buildable and provider.get_function_build_info; aws-lambda-builders'
 * python_pip workflow for what is copied). Pure: decided from the template; files are read later.
 */

// aws-lambda-builders python_pip PythonPipWorkflow.EXCLUDED_FILES, matched by name at every level as
// shutil.ignore_patterns does: what `sam build` leaves out when it copies a function's or layer's folder.
const SAM_EXCLUDED = [
  '.aws-sam',
  '.chalice',
  '.git',
  '.gitignore',
  '*.pyc',
  '__pycache__',
  '*.so',
  '.Python',
  '*.egg-info',
  '*.egg',
  'pip-log.txt',
  'pip-delete-this-directory.txt',
  'htmlcov',
  '.tox',
  '.nox',
  '.coverage',
  '.cache',
  '.pytest_cache',
  '.python-version',
  '.mypy_cache',
  '.dmypy.json',
  '.pyre',
  '.env',
  '.venv',
  'venv',
  'venv.bak',
  'env.bak',
  'ENV',
  'env',
  '.vscode',
  '.idea'
];

/** True for a file or folder name `sam build` does not copy from a source folder. */
export function excludedBySam(name: string): boolean {
  return SAM_EXCLUDED.some((pattern) => (pattern.startsWith('*') ? name.endsWith(pattern.slice(1)) : name === pattern));
}

/**
 * How a resource's artifact is made when it is not the common case (its folder copied as SAM copies
 * it, plus its requirements.txt installed by pip). Absent on a spec means that common case.
 */
export type ArtifactSource =
  /** A .zip CodeUri or ContentUri: `sam build` leaves it alone; measured as it is. */
  | { kind: 'zip' }
  /** The folder exactly as it is: Metadata.SkipBuild, or a layer folder that already holds python/. */
  | { kind: 'as-is'; reason: string }
  /** Metadata.BuildMethod makefile: `make build-<LogicalId>` with ARTIFACTS_DIR, as `sam build` runs it. */
  | { kind: 'makefile' }
  /** Metadata.BuildMethod python-uv: requirements.txt, else pyproject.toml's [project].dependencies. */
  | { kind: 'python-uv' };

/** Metadata as discovery resolved it (intrinsics, parameters). */
export interface BuildMetadata {
  buildMethod?: string;
  skipBuild?: unknown;
}

/** The source SAM's build picks from the path and Metadata, in its order (zip, then SkipBuild, then BuildMethod). */
export function artifactSource(written: string, metadata: BuildMetadata): ArtifactSource | undefined {
  if (written.endsWith('.zip')) return { kind: 'zip' };
  if (metadata.skipBuild === true) return { kind: 'as-is', reason: 'Metadata.SkipBuild' };
  if (metadata.buildMethod === 'makefile') return { kind: 'makefile' };
  if (metadata.buildMethod === 'python-uv') return { kind: 'python-uv' };
  return undefined;
}
