import { checkLogicalId, MAX_LOGICAL_ID_LENGTH } from '../../src/template/logical-ids.js';
import { parseTemplate } from '../../src/template/cfn-yaml.js';
import { at, discover, functionYaml, inputErrorFrom, layerYaml, lines, resources, TEMPLATE_FILE } from './fixtures.js';

describe('checkLogicalId', () => {
  test.each([['Fn'], ['DepsLayer2'], ['A'.repeat(MAX_LOGICAL_ID_LENGTH)]])('%s is accepted', (id) => {
    expect(() => checkLogicalId(id, at(1))).not.toThrow();
  });

  test.each([['..'], ['.'], [''], ['../../victim'], ['a/b'], ['my-fn'], ['my_fn'], ['Fn\n::error::x'], ['Ünï']])('%j is refused', (id) => {
    const error = inputErrorFrom(() => checkLogicalId(id, at(5)));
    expect(error.message).toBe(
      `${TEMPLATE_FILE}:5: logical ID ${JSON.stringify(id)} is not alphanumeric: CloudFormation allows only A-Z, a-z and 0-9`
    );
  });

  test('a 300-character ID is refused with its length, not a stack trace', () => {
    const error = inputErrorFrom(() => checkLogicalId('A'.repeat(300), at(5)));
    expect(error.message).toBe(
      `${TEMPLATE_FILE}:5: logical ID AAAAAAAAAAAAAAAAAAAA... is 300 characters long: CloudFormation allows at most 255`
    );
  });
});

describe('discoverApp: logical IDs', () => {
  test.each([
    ['a function', resources(layerYaml('L', { buildMethod: 'python3.12' }), functionYaml('"../../victim"', { runtime: 'python3.12' })), 8],
    ['a layer', resources(layerYaml('".."', { buildMethod: 'python3.12' })), 2],
    [
      'any resource',
      lines('Resources:', ...layerYaml('L', { buildMethod: 'python3.12' }), '  "my-bucket":', '    Type: AWS::S3::Bucket'),
      8
    ],
    ['an empty ID', resources(layerYaml('""', { buildMethod: 'python3.12' })), 2]
  ])('%s with a bad ID is refused before anything else, at its line (exit 2)', (_label, text, line) => {
    const error = inputErrorFrom(() => discover(text));
    expect(error.location).toEqual(at(line));
    expect(error.message).toContain('is not alphanumeric');
  });

  test('a 300-character function ID is a located error', () => {
    const id = 'F'.repeat(300);
    const text = resources(layerYaml('L', { buildMethod: 'python3.12' }), functionYaml(id, { runtime: 'python3.12' }));
    expect(parseTemplate(text, TEMPLATE_FILE).resourceLines.get(id)).toBe(8);
    expect(inputErrorFrom(() => discover(text)).message).toContain(
      `${TEMPLATE_FILE}:8: logical ID FFFFFFFFFFFFFFFFFFFF... is 300 characters long`
    );
  });
});
