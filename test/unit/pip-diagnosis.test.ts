import { explainSkippedLinks, pipErrors, unsatisfiedRequirement } from '../../src/install/pip-diagnosis.js';

const TARGET = 'python3.11 x86_64 (cp311, manylinux_2_26_x86_64)';
const INDEX = 'file:///tmp/x/index';
const INCOMPATIBLE =
  "none of the wheel's tags (cp312-cp312-manylinux_2_28_x86_64) are compatible (run pip debug --verbose to show compatible tags)";

/** `pip download -vv` output around the given Skipping link lines, as pip 23.2.1 prints it. */
function verbose(project: string, ...skipping: string[]): string {
  return [
    'Using pip 23.2.1 from /usr/lib/python3.11/site-packages/pip (python 3.11)',
    `Looking in links: /tmp/x/index`,
    `1 location(s) to search for versions of ${project}:`,
    `* https://pypi.org/simple/${project}/`,
    ...skipping.map((s) => `Skipping link: ${s}`),
    `Skipping link: wrong project name (not ${project}): ${INDEX}/unrelated-2.0-py3-none-any.whl`,
    `ERROR: Could not find a version that satisfies the requirement ${project}==1.0 (from versions: none)`,
    `ERROR: No matching distribution found for ${project}==1.0`
  ].join('\n');
}

const SDIST_MESSAGE = (requirement: string, file: string) =>
  `only a source distribution of ${requirement} is available (${file}): building it would run its setup code on this ` +
  'machine and could produce a wheel for the wrong platform. Pin a release with a wheel, or allow it explicitly ' +
  '(allow-sdist) if it is pure Python';

describe('explainSkippedLinks', () => {
  test('sdist-only: a skipped sdist of the project', () => {
    const output = verbose('tiny-sdist', `No sources permitted for tiny-sdist: ${INDEX}/tiny_sdist-1.0.tar.gz`);
    expect(explainSkippedLinks('tiny-sdist==1.0', output, TARGET)).toEqual({
      kind: 'sdist-only',
      message: SDIST_MESSAGE('tiny-sdist==1.0', 'tiny_sdist-1.0.tar.gz')
    });
  });

  test('sdist-only names the last sdist of the project, not another project logged under its name', () => {
    // With --find-links, pip logs every sdist of the folder as "No sources permitted for <searched project>".
    const output = verbose(
      'tiny-sdist',
      `No sources permitted for tiny-sdist: ${INDEX}/tiny_sdist-0.9.tar.gz`,
      `No sources permitted for tiny-sdist: ${INDEX}/tiny_sdist-1.0.zip`,
      `No sources permitted for tiny-sdist: ${INDEX}/zzz_other-3.0.tar.gz`
    );
    expect(explainSkippedLinks('tiny-sdist==1.0', output, TARGET)).toEqual({
      kind: 'sdist-only',
      message: SDIST_MESSAGE('tiny-sdist==1.0', 'tiny_sdist-1.0.zip')
    });
  });

  test("another project's sdist is not taken as evidence", () => {
    const output = verbose(
      'nosuch',
      `No sources permitted for nosuch: ${INDEX}/tiny_sdist-1.0.tar.gz`,
      `No sources permitted for nosuch: ${INDEX}/other-2.0.tar.gz`
    );
    expect(explainSkippedLinks('nosuch==1.0', output, TARGET)).toEqual({
      kind: 'not-found',
      message: 'no release of nosuch==1.0 was found on the configured package index'
    });
  });

  // Regression (fixed): the file name is normalized ('_' -> '-') and then prefix-matched against "<project>-", so a project
  // whose name starts with the searched one counts as evidence: "tiny_sdist-1.0.tar.gz" (project tiny-sdist)
  // is taken as an sdist of "tiny" (likewise requests_toolbelt-1.0.tar.gz for "requests").
  test('a project whose name merely starts with the searched one is not taken as evidence', () => {
    const output = verbose('tiny', `No sources permitted for tiny: ${INDEX}/tiny_sdist-1.0.tar.gz`);
    expect(explainSkippedLinks('tiny==1.0', output, TARGET).kind).toBe('not-found');
  });

  test('no-compatible-wheel: a skipped wheel of the project', () => {
    const output = verbose('tiny-new', `${INCOMPATIBLE}: ${INDEX}/tiny_new-1.0-cp312-cp312-manylinux_2_28_x86_64.whl`);
    expect(explainSkippedLinks('tiny-new==1.0', output, TARGET)).toEqual({
      kind: 'no-compatible-wheel',
      message:
        `no wheel of tiny-new==1.0 loads on ${TARGET} (found tiny_new-1.0-cp312-cp312-manylinux_2_28_x86_64.whl); ` +
        'pin a release that publishes a wheel for this runtime, or change the runtime'
    });
  });

  test('an index link with a hash fragment, (from ...) and (requires-python:...) after it', () => {
    const output = verbose(
      'tiny-new',
      `${INCOMPATIBLE}: https://files.pythonhosted.org/packages/ab/cd/tiny_new-1.0-cp312-cp312-manylinux_2_28_x86_64.whl` +
        '#sha256=0123456789abcdef (from https://pypi.org/simple/tiny-new/) (requires-python:>=3.9)'
    );
    const explanation = explainSkippedLinks('tiny-new==1.0', output, TARGET);
    expect(explanation.kind).toBe('no-compatible-wheel');
    expect(explanation.message).toContain('(found tiny_new-1.0-cp312-cp312-manylinux_2_28_x86_64.whl);');
  });

  test('wheels win over sdists', () => {
    const output = verbose(
      'tiny-new',
      `No sources permitted for tiny-new: ${INDEX}/tiny_new-1.0.tar.gz`,
      `${INCOMPATIBLE}: ${INDEX}/tiny_new-1.0-cp312-cp312-manylinux_2_28_x86_64.whl`
    );
    expect(explainSkippedLinks('tiny-new==1.0', output, TARGET).kind).toBe('no-compatible-wheel');
  });

  test('more than three wheels: the last three, then "..."', () => {
    const wheels = ['0.7', '0.8', '0.9', '1.0'].map((v) => `tiny_new-${v}-cp312-cp312-manylinux_2_28_x86_64.whl`);
    const output = verbose('tiny-new', ...wheels.map((w) => `${INCOMPATIBLE}: ${INDEX}/${w}`));
    expect(explainSkippedLinks('tiny-new', output, TARGET).message).toBe(
      `no wheel of tiny-new loads on ${TARGET} (found ${wheels.slice(1).join(', ')}, ...); ` +
        'pin a release that publishes a wheel for this runtime, or change the runtime'
    );
  });

  test('the requirement may be spelled differently from the file name; it is quoted as given', () => {
    const output = verbose('tiny-new', `${INCOMPATIBLE}: ${INDEX}/tiny_new-1.0-cp312-cp312-manylinux_2_28_x86_64.whl`);
    const explanation = explainSkippedLinks('Tiny.New[extra]==1.0', output, TARGET);
    expect(explanation.kind).toBe('no-compatible-wheel');
    expect(explanation.message.startsWith('no wheel of Tiny.New[extra]==1.0 loads on')).toBe(true);
  });

  test('percent-encoded file names are decoded', () => {
    const output = verbose(
      'torch',
      "none of the wheel's tags (cp312-cp312-linux_x86_64) are compatible (run pip debug --verbose to show compatible tags): " +
        'https://download.pytorch.org/whl/cpu/torch-2.1.0%2Bcpu-cp312-cp312-linux_x86_64.whl'
    );
    expect(explainSkippedLinks('torch==2.1.0', output, TARGET).message).toContain('(found torch-2.1.0+cpu-cp312-cp312-linux_x86_64.whl)');
  });

  test('not-found: nothing skipped at all', () => {
    expect(explainSkippedLinks('nosuch==1.0', verbose('nosuch'), TARGET)).toEqual({
      kind: 'not-found',
      message: 'no release of nosuch==1.0 was found on the configured package index'
    });
  });

  test('unreachable: an index pip could not connect to is told apart from no such release', () => {
    // pip 23.2 -vv against an index URL on a port where nothing listens (--retries 0).
    const output = [
      'Fetching project page and analyzing links: http://127.0.0.1:9/simple/six/',
      'Starting new HTTP connection (1): 127.0.0.1:9',
      "Could not fetch URL http://127.0.0.1:9/simple/six/: connection error: HTTPConnectionPool(host='127.0.0.1', port=9): Max retries exceeded with url: /simple/six/ (Caused by NewConnectionError('<pip._vendor.urllib3.connection.HTTPConnection object at 0x7fbc2eec5b10>: Failed to establish a new connection: [Errno 111] Connection refused')) - skipping",
      'ERROR: Could not find a version that satisfies the requirement six==99.0 (from versions: none)'
    ].join('\n');
    const explained = explainSkippedLinks('six==99.0', output, TARGET);
    expect(explained.kind).toBe('unreachable');
    expect(explained.message).toMatch(
      /^the package index could not be reached while looking for six==99\.0 \(Could not fetch URL http:\/\/127\.0\.0\.1:9\/simple\/six\//
    );
  });

  test('wheels skipped for another reason (wrong project name) are not evidence', () => {
    const output = verbose('tiny-new', `wrong project name (not tiny-new): ${INDEX}/tiny_new_x-1.0-py3-none-any.whl`);
    expect(explainSkippedLinks('tiny-new==1.0', output, TARGET).kind).toBe('not-found');
  });
});

describe('unsatisfiedRequirement', () => {
  test('reads the requirement pip could not satisfy', () => {
    const stderr = [
      'ERROR: Could not find a version that satisfies the requirement nosuch==1.0 (from versions: none)',
      'ERROR: No matching distribution found for nosuch==1.0',
      ''
    ].join('\n');
    expect(unsatisfiedRequirement(stderr)).toBe('nosuch==1.0');
  });

  test('undefined when pip failed for another reason', () => {
    expect(
      unsatisfiedRequirement('ERROR: Could not install packages due to an OSError: [Errno 28] No space left on device')
    ).toBeUndefined();
  });
});

describe('pipErrors', () => {
  test("joins pip's ERROR lines without the prefix", () => {
    const output = [
      'Collecting requests==2.31.0',
      '  Using cached requests-2.31.0-py3-none-any.whl (62 kB)',
      'ERROR: Could not find a version that satisfies the requirement nosuch==1.0 (from versions: none)',
      'ERROR: No matching distribution found for nosuch==1.0'
    ].join('\n');
    expect(pipErrors(output)).toBe(
      'Could not find a version that satisfies the requirement nosuch==1.0 (from versions: none) No matching distribution found for nosuch==1.0'
    );
  });

  test("the resolver's explanation of a conflict follows the ERROR lines", () => {
    const output = [
      'Collecting tiny-a==1.0',
      'ERROR: Cannot install tiny-a==1.0 and tiny-b==1.0 because these package versions have conflicting dependencies.',
      '',
      'The conflict is caused by:',
      '    tiny-a 1.0 depends on tiny-dep<2',
      '    tiny-b 1.0 depends on tiny-dep>=2',
      '',
      'To fix this you could try to:',
      "1. loosen the range of package versions you've specified",
      '2. remove package versions to allow pip attempt to solve the dependency conflict',
      '',
      'ERROR: ResolutionImpossible: for help visit https://pip.pypa.io/en/latest/topics/dependency-resolution/#dealing-with-dependency-conflicts'
    ].join('\n');
    expect(pipErrors(output)).toBe(
      'Cannot install tiny-a==1.0 and tiny-b==1.0 because these package versions have conflicting dependencies. ' +
        'ResolutionImpossible: for help visit https://pip.pypa.io/en/latest/topics/dependency-resolution/#dealing-with-dependency-conflicts ' +
        'The conflict is caused by: tiny-a 1.0 depends on tiny-dep<2 tiny-b 1.0 depends on tiny-dep>=2'
    );
  });

  test('"ERROR: Exception:" (pip itself raised) is followed by the exception its traceback ends with', () => {
    const output = [
      'Installing collected packages: tiny-core',
      'ERROR: Exception:',
      'Traceback (most recent call last):',
      '  File "/usr/lib/python3/dist-packages/pip/_internal/cli/base_command.py", line 180, in exc_logging_wrapper',
      '    status = run_func(*args)',
      "OSError: [Errno 28] No space left on device: '/out/.work/x'",
      ''
    ].join('\n');
    expect(pipErrors(output)).toBe("Exception: OSError: [Errno 28] No space left on device: '/out/.work/x'");
  });

  test('a chained traceback: the exception raised last is the reason', () => {
    const output = [
      'ERROR: Exception:',
      'Traceback (most recent call last):',
      '  File "shutil.py", line 825, in move',
      "OSError: [Errno 18] Invalid cross-device link: '/tmp/a' -> '/out/b'",
      '',
      'During handling of the above exception, another exception occurred:',
      '',
      'Traceback (most recent call last):',
      '  File "shutil.py", line 256, in copyfile',
      "OSError: [Errno 28] No space left on device: '/out/b/x.py'"
    ].join('\n');
    expect(pipErrors(output)).toBe("Exception: OSError: [Errno 28] No space left on device: '/out/b/x.py'");
  });

  test('CRLF output', () => {
    expect(pipErrors('x\r\nERROR: one\r\nERROR: two\r\n')).toBe('one two');
  });

  test('without ERROR lines, the last five lines', () => {
    const output = ['l1', 'l2', 'l3', 'l4', 'l5', 'l6', 'Traceback: boom', ''].join('\n');
    expect(pipErrors(output)).toBe('l3 l4 l5 l6 Traceback: boom');
  });

  test('an indented ERROR is not an ERROR line', () => {
    expect(pipErrors('  ERROR: inside a subprocess\nfailed')).toBe('ERROR: inside a subprocess failed');
  });
});
