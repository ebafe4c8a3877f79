import { lambdaEnvironment } from '../../src/invoke/lambda-env.js';
import { billedDurationMs, platformErrorPayload, reportLine, timeoutMessage } from '../../src/invoke/report-line.js';
import { isolatedCommand } from '../../src/invoke/sandbox.js';
import { isSafeEntryName } from '../../src/artifact/zip-extract.js';

const paths = {
  taskRoot: '/s/task',
  opt: '/s/opt',
  runtimeDir: '/c/ric',
  runtimePackages: ['/c/boto3'],
  tmp: '/s/tmp-1',
  pythonBin: '/py/bin'
};
const input = {
  functionName: 'Fn',
  handler: 'app.handler',
  runtime: 'python3.12',
  pythonVersion: '3.12',
  memorySizeMB: 512,
  region: 'eu-west-1',
  runtimeApi: '127.0.0.1:9001',
  variables: {},
  paths,
  now: new Date('2026-12-06T03:00:00Z'),
  streamId: 'ab'.repeat(16)
};

describe('lambdaEnvironment', () => {
  test("Lambda's variables, with the sandbox's folders for /var/task, /opt and /var/runtime", () => {
    expect(lambdaEnvironment(input)).toEqual({
      LANG: 'en_US.UTF-8',
      PATH: '/py/bin:/usr/local/bin:/usr/bin:/bin:/s/opt/bin',
      LD_LIBRARY_PATH: '/c/ric:/c/ric/lib:/s/task:/s/task/lib:/s/opt/lib',
      TZ: ':UTC',
      PYTHONPATH: '/s/opt/python/lib/python3.12/site-packages:/s/opt/python:/c/ric:/c/boto3',
      TMPDIR: '/s/tmp-1',
      _HANDLER: 'app.handler',
      AWS_REGION: 'eu-west-1',
      AWS_DEFAULT_REGION: 'eu-west-1',
      AWS_EXECUTION_ENV: 'AWS_Lambda_python3.12',
      AWS_LAMBDA_FUNCTION_NAME: 'Fn',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '512',
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
      AWS_LAMBDA_LOG_GROUP_NAME: '/aws/lambda/Fn',
      AWS_LAMBDA_LOG_STREAM_NAME: `2026/12/06/[$LATEST]${'ab'.repeat(16)}`,
      AWS_LAMBDA_RUNTIME_API: '127.0.0.1:9001',
      LAMBDA_TASK_ROOT: '/s/task',
      LAMBDA_RUNTIME_DIR: '/c/ric'
    });
  });

  test("the template's variables: unreserved ones (TZ, PYTHONPATH too) are set, reserved ones are Lambda's", () => {
    const env = lambdaEnvironment({
      ...input,
      variables: { STAGE: 'dev', TZ: 'Europe/Paris', AWS_REGION: 'x', LAMBDA_TASK_ROOT: '/elsewhere', PYTHONPATH: '/mine' },
      hostLibraryPath: '/host/lib'
    });
    expect(env).toMatchObject({
      STAGE: 'dev',
      TZ: 'Europe/Paris',
      AWS_REGION: 'eu-west-1',
      LAMBDA_TASK_ROOT: '/s/task',
      PYTHONPATH: '/mine'
    });
    expect(env['LD_LIBRARY_PATH']?.endsWith(':/host/lib')).toBe(true);
  });
});

describe('the REPORT line', () => {
  test("Lambda's fields, tab-separated; billed in whole milliseconds, init included", () => {
    expect(reportLine({ requestId: 'r', durationMs: 2.345, initDurationMs: 127.891, memorySizeMB: 128, maxMemoryUsedMB: 39 })).toBe(
      'REPORT RequestId: r\tDuration: 2.35 ms\tBilled Duration: 131 ms\tMemory Size: 128 MB\tMax Memory Used: 39 MB\tInit Duration: 127.89 ms'
    );
    expect(billedDurationMs(3000)).toBe(3000);
    expect(billedDurationMs(0.2)).toBe(1);
  });

  test('a platform error adds Status and Error Type', () => {
    const line = reportLine({
      requestId: 'r',
      durationMs: 1000,
      memorySizeMB: 128,
      maxMemoryUsedMB: 128,
      platformError: { status: 'timeout', errorType: 'Sandbox.Timedout' }
    });
    expect(line).toBe(
      'REPORT RequestId: r\tDuration: 1000.00 ms\tBilled Duration: 1000 ms\tMemory Size: 128 MB\tMax Memory Used: 128 MB\tStatus: timeout\tError Type: Sandbox.Timedout'
    );
  });

  test("Lambda's words for what the platform ends", () => {
    expect(timeoutMessage(3)).toBe('Task timed out after 3.00 seconds');
    expect(platformErrorPayload('r', 'Runtime.OutOfMemory', 'Runtime exited with error: signal: killed')).toEqual({
      errorType: 'Runtime.OutOfMemory',
      errorMessage: 'RequestId: r Error: Runtime exited with error: signal: killed'
    });
  });
});

test('isolatedCommand: unshare binds each folder read-only, then runs the command in place of the shell', () => {
  const [program, args] = isolatedCommand({ readOnly: true, how: '' }, ['/a b', '/c'], ['/py', '-S', '-m', 'awslambdaric', 'app.h']);
  expect(program).toBe('unshare');
  expect(args.slice(0, 5)).toEqual(['--user', '--map-root-user', '--mount', 'sh', '-c']);
  // Paths travel as arguments, never inside the script.
  expect(args.slice(6)).toEqual(['sh', '2', '/a b', '/c', '/py', '-S', '-m', 'awslambdaric', 'app.h']);
  expect(isolatedCommand({ readOnly: false, why: '' }, ['/a'], ['/py', '-S'])).toEqual(['/py', ['-S']]);
});

test.each([
  ['app.py', true],
  ['python/lib/x.py', true],
  ['dir/', true],
  ['/etc/passwd', false],
  ['../escape.py', false],
  ['a/../../b', false],
  ['a\\b', false],
  ['', false]
])('zip entry %j is safe to extract: %s', (name, safe) => {
  expect(isSafeEntryName(name)).toBe(safe);
});
