/**
 * The environment Lambda gives a Python function, with our sandbox's folders in place of /var/task, /opt and
 * /var/runtime. Pure. Sources: "Defined runtime environment variables"
 * (https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime) and, for the
 * search path, "Dependency search path and runtime-included libraries"
 * (https://docs.aws.amazon.com/lambda/latest/dg/python-package.html#python-package-searchpath): the function's folder
 * first (the runtime runs in it; `python -m` puts the working folder first, as Lambda's bootstrap does), then
 * /opt/python/lib/pythonX.Y/site-packages, /opt/python, then the runtime's own folder (its awslambdaric and boto3).
 */

export interface SandboxPaths {
  /** LAMBDA_TASK_ROOT: the function's zip, extracted. */
  taskRoot: string;
  /** /opt: the layers' zips, extracted in order. */
  opt: string;
  /** LAMBDA_RUNTIME_DIR: the runtime interface client. */
  runtimeDir: string;
  /** What the managed runtime also ships (its boto3), after the runtime folder. */
  runtimePackages: readonly string[];
  /** Lambda's /tmp: this invocation's private, writable folder. */
  tmp: string;
  /** The folder holding the target CPython, for PATH (Lambda's /var/lang/bin). */
  pythonBin: string;
}

export interface LambdaEnvInput {
  functionName: string;
  handler: string;
  runtime: string;
  /** "3.12" */
  pythonVersion: string;
  memorySizeMB: number;
  region: string;
  runtimeApi: string;
  /** The template's Environment.Variables that resolved. */
  variables: Readonly<Record<string, string>>;
  paths: SandboxPaths;
  /** A date for the log stream name, as Lambda's (yyyy/mm/dd/[$LATEST]id). */
  now: Date;
  /** 32 hex digits for the log stream name. */
  streamId: string;
  /** The host's LD_LIBRARY_PATH, kept last: the interpreter itself may need it. */
  hostLibraryPath?: string;
}

/** Variables Lambda sets that a function's configuration may not (https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html). */
export const RESERVED = [
  '_HANDLER',
  '_X_AMZN_TRACE_ID',
  'AWS_DEFAULT_REGION',
  'AWS_REGION',
  'AWS_EXECUTION_ENV',
  'AWS_LAMBDA_FUNCTION_NAME',
  'AWS_LAMBDA_FUNCTION_MEMORY_SIZE',
  'AWS_LAMBDA_FUNCTION_VERSION',
  'AWS_LAMBDA_INITIALIZATION_TYPE',
  'AWS_LAMBDA_LOG_GROUP_NAME',
  'AWS_LAMBDA_LOG_STREAM_NAME',
  'AWS_ACCESS_KEY',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_LAMBDA_RUNTIME_API',
  'LAMBDA_TASK_ROOT',
  'LAMBDA_RUNTIME_DIR'
];

/**
 * The whole environment of the runtime process: nothing of the host's but its LD_LIBRARY_PATH. No AWS credentials:
 * the code under test is a pull request's, and Lambda's would be its role's, which we do not have.
 */
export function lambdaEnvironment(input: LambdaEnvInput): Record<string, string> {
  const { paths } = input;
  const day = input.now.toISOString().slice(0, 10).replaceAll('-', '/');
  const fromTemplate = Object.fromEntries(Object.entries(input.variables).filter(([name]) => !RESERVED.includes(name)));
  return {
    LANG: 'en_US.UTF-8',
    PATH: [paths.pythonBin, '/usr/local/bin', '/usr/bin', '/bin', `${paths.opt}/bin`].join(':'),
    LD_LIBRARY_PATH: [
      paths.runtimeDir,
      `${paths.runtimeDir}/lib`,
      paths.taskRoot,
      `${paths.taskRoot}/lib`,
      `${paths.opt}/lib`,
      ...(input.hostLibraryPath ? [input.hostLibraryPath] : [])
    ].join(':'),
    // Unreserved: a template may set these (LANG, PATH, TZ, PYTHONPATH...), as on Lambda.
    ...fromTemplate,
    TZ: fromTemplate['TZ'] ?? ':UTC',
    PYTHONPATH:
      fromTemplate['PYTHONPATH'] ??
      [
        `${paths.opt}/python/lib/python${input.pythonVersion}/site-packages`,
        `${paths.opt}/python`,
        paths.runtimeDir,
        ...paths.runtimePackages
      ].join(':'),
    TMPDIR: paths.tmp,
    _HANDLER: input.handler,
    AWS_REGION: input.region,
    AWS_DEFAULT_REGION: input.region,
    AWS_EXECUTION_ENV: `AWS_Lambda_${input.runtime}`,
    AWS_LAMBDA_FUNCTION_NAME: input.functionName,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(input.memorySizeMB),
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${input.functionName}`,
    AWS_LAMBDA_LOG_STREAM_NAME: `${day}/[$LATEST]${input.streamId}`,
    AWS_LAMBDA_RUNTIME_API: input.runtimeApi,
    LAMBDA_TASK_ROOT: paths.taskRoot,
    LAMBDA_RUNTIME_DIR: paths.runtimeDir
  };
}
