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
