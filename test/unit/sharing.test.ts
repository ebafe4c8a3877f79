import { InputError } from '../../src/shared/errors.js';
import { parseSharing, permissionStatements } from '../../src/publish/sharing.js';
import { thrownBy } from './fixtures.js';

const NAMES = { accounts: 'share-with-accounts', organization: 'share-with-organization' };

describe('parseSharing', () => {
  test.each<[string | undefined, string | undefined, ReturnType<typeof parseSharing>]>([
    [undefined, undefined, { accounts: [] }],
    ['', '', { accounts: [] }],
    ['123456789012', undefined, { accounts: ['123456789012'] }],
    ['123456789012, 210987654321\n123456789012', '', { accounts: ['123456789012', '210987654321'] }],
    ['', 'o-a1b2c3d4e5', { accounts: [], organization: 'o-a1b2c3d4e5' }],
    [
      '000000000000',
      ' o-abcdefghijklmnopqrstuvwxyz012345 ',
      { accounts: ['000000000000'], organization: 'o-abcdefghijklmnopqrstuvwxyz012345' }
    ]
  ])('%j, %j', (accounts, organization, expected) => {
    expect(parseSharing(accounts, organization, NAMES)).toEqual(expected);
  });

  test.each<[string, string, string]>([
    ['12345678901', '', 'share-with-accounts: "12345678901" is not an AWS account ID (12 digits)'],
    ['1234567890123', '', 'share-with-accounts: "1234567890123" is not an AWS account ID (12 digits)'],
    ['123456789012,abc', '', 'share-with-accounts: "abc" is not an AWS account ID (12 digits)'],
    ['', 'o-short', 'share-with-organization: "o-short" is not an organization ID (o- and 10 to 32 lowercase letters or digits)'],
    ['', 'o-ABCDEFGHIJ', 'share-with-organization: "o-ABCDEFGHIJ" is not an organization ID (o- and 10 to 32 lowercase letters or digits)'],
    ['', 'r-a1b2c3d4e5', 'share-with-organization: "r-a1b2c3d4e5" is not an organization ID (o- and 10 to 32 lowercase letters or digits)'],
    [
      '',
      `o-${'a'.repeat(33)}`,
      `share-with-organization: "o-${'a'.repeat(33)}" is not an organization ID (o- and 10 to 32 lowercase letters or digits)`
    ]
  ])('rejects %j / %j', (accounts, organization, message) => {
    const error = thrownBy(() => parseSharing(accounts, organization, NAMES)) as Error;
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toBe(message);
  });
});

test('one statement per principal, with stable IDs', () => {
  expect(permissionStatements({ accounts: ['123456789012', '210987654321'], organization: 'o-a1b2c3d4e5' })).toEqual([
    { StatementId: 'lambda-layers-account-123456789012', Principal: '123456789012' },
    { StatementId: 'lambda-layers-account-210987654321', Principal: '210987654321' },
    { StatementId: 'lambda-layers-org-o-a1b2c3d4e5', Principal: '*', OrganizationId: 'o-a1b2c3d4e5' }
  ]);
  expect(permissionStatements({ accounts: [] })).toEqual([]);
});
