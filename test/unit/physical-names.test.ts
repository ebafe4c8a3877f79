import { InputError } from '../../src/shared/errors.js';
import { functionNameFor, layerNameFor } from '../../src/publish/physical-names.js';
import { functionSpec, inputErrorFrom, layerSpec, TEMPLATE_FILE } from './fixtures.js';

describe('layerNameFor', () => {
  const ok: Array<{ layerName: string | undefined; stack: string | undefined; expected: string }> = [
    { layerName: undefined, stack: undefined, expected: 'CoreLayer' },
    { layerName: undefined, stack: 'shop', expected: 'CoreLayer' },
    { layerName: 'deps', stack: undefined, expected: 'deps' },
    { layerName: '${AWS::StackName}-core', stack: 'shop-prod', expected: 'shop-prod-core' },
    { layerName: '${AWS::StackName}_${AWS::StackName}', stack: 's', expected: 's_s' },
    { layerName: 'x'.repeat(140), stack: undefined, expected: 'x'.repeat(140) }
  ];
  test.each(ok)('$layerName with stack $stack → $expected', ({ layerName, stack, expected }) => {
    expect(layerNameFor(layerSpec({ name: 'CoreLayer', ...(layerName !== undefined ? { layerName } : {}) }), stack)).toBe(expected);
  });

  const bad: Array<{ layerName: string; stack: string | undefined; message: string }> = [
    { layerName: '${AWS::StackName}-core', stack: undefined, message: 'uses ${AWS::StackName}: set the stack-name input (--stack-name)' },
    { layerName: '${Stage}-core', stack: 'shop', message: '${Stage} cannot be resolved here' },
    { layerName: 'my.layer', stack: undefined, message: 'layer name "my.layer" is not valid for Lambda' },
    { layerName: '${AWS::StackName}-core', stack: 'x'.repeat(136), message: 'at most 140' },
    { layerName: 'has space', stack: undefined, message: 'letters, digits, - and _ only' }
  ];
  test.each(bad)('$layerName with stack $stack: $message', ({ layerName, stack, message }) => {
    const error = inputErrorFrom(() =>
      layerNameFor(layerSpec({ name: 'CoreLayer', layerName, location: { file: TEMPLATE_FILE, line: 12 } }), stack)
    );
    expect(error.message).toContain(message);
    // Points at the template line of the layer.
    expect(error.message.startsWith(`${TEMPLATE_FILE}:12: `)).toBe(true);
  });
});

describe('functionNameFor', () => {
  test('no FunctionName: CloudFormation names it, so it is unknown', () => {
    expect(functionNameFor(functionSpec({ name: 'Fn' }), 'shop')).toBeUndefined();
  });
  test('resolved with the stack name', () => {
    expect(functionNameFor(functionSpec({ name: 'Fn', functionName: '${AWS::StackName}-validate' }), 'shop')).toBe('shop-validate');
  });
  test('longer than 64 characters is an error at the function', () => {
    expect(() => functionNameFor(functionSpec({ name: 'Fn', functionName: 'f'.repeat(65) }), undefined)).toThrow(InputError);
    expect(() => functionNameFor(functionSpec({ name: 'Fn', functionName: 'f'.repeat(65) }), undefined)).toThrow(
      `${TEMPLATE_FILE}:10: function name`
    );
  });
});
