import { GetLayerVersionPolicyCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import type { Logger } from '../../src/shared/logger.js';
import { applyRetention, layerVersionNumbers } from '../../src/publish/retention.js';
import { shareLayerVersion } from '../../src/publish/sharing.js';
import { publishVersions } from '../helpers/lambda-setup.js';
import { useMotoLambda } from '../helpers/moto-lambda.js';

const aws = useMotoLambda();
let lambda: LambdaClient;
const messages: string[] = [];
const logger: Logger = {
  info: (m) => messages.push(m),
  warning: (m) => messages.push(m),
  error: (m) => messages.push(m),
  detail: () => undefined
};

beforeEach(async () => {
  lambda = aws.lambda;
  await aws.moto.reset();
  messages.length = 0;
});

describe('retention', () => {
  test('keeps the newest N and deletes the rest, oldest first', async () => {
    await publishVersions(lambda, 'core', 6);
    expect(await applyRetention(lambda, { layerName: 'core', current: 6, previous: 5 }, 3, logger)).toEqual([1, 2, 3]);
    expect((await layerVersionNumbers(lambda, 'core')).sort()).toEqual([4, 5, 6]);
    expect(messages).toEqual(['core: deleted old versions 1, 2, 3 (keeping the newest 3)']);
    // Nothing more to delete on a re-run.
    expect(await applyRetention(lambda, { layerName: 'core', current: 6, previous: 5 }, 3, logger)).toEqual([]);
  });

  test('never the current or the previous version, and N = 1 keeps two', async () => {
    await publishVersions(lambda, 'core', 5);
    // The previous version is an old one (rolled back by hand in between): it stays, and so does the newest.
    expect(await applyRetention(lambda, { layerName: 'core', current: 5, previous: 2 }, 1, logger)).toEqual([1, 3]);
    expect((await layerVersionNumbers(lambda, 'core')).sort()).toEqual([2, 4, 5]);
  });

  test('a layer with fewer versions than N is left alone', async () => {
    await publishVersions(lambda, 'core', 2);
    expect(await applyRetention(lambda, { layerName: 'core', current: 2, previous: 1 }, 5, logger)).toEqual([]);
    expect((await layerVersionNumbers(lambda, 'core')).sort()).toEqual([1, 2]);
  });
});

describe('sharing', () => {
  async function statements(version: number) {
    const { Policy } = await lambda.send(new GetLayerVersionPolicyCommand({ LayerName: 'core', VersionNumber: version }));
    return (JSON.parse(Policy!) as { Statement: Array<{ Sid: string; Action: string; Principal: unknown }> }).Statement;
  }

  test('adds one statement per principal on the version; a re-run adds nothing and does not fail', async () => {
    await publishVersions(lambda, 'core', 2);
    const sharing = { accounts: ['111111111111', '222222222222'], organization: 'o-a1b2c3d4e5' };
    await shareLayerVersion(lambda, 'core', 2, sharing, logger);
    const first = await statements(2);
    expect(first.map((s) => s.Sid)).toEqual([
      'lambda-layers-account-111111111111',
      'lambda-layers-account-222222222222',
      'lambda-layers-org-o-a1b2c3d4e5'
    ]);
    expect(first.every((s) => s.Action === 'lambda:GetLayerVersion')).toBe(true);
    expect(messages).toEqual(['core:2: shared with 111111111111', 'core:2: shared with 222222222222', 'core:2: shared with o-a1b2c3d4e5']);

    await shareLayerVersion(lambda, 'core', 2, sharing, logger);
    expect(await statements(2)).toEqual(first);

    // A principal added later is added alone.
    await shareLayerVersion(lambda, 'core', 2, { accounts: ['111111111111', '333333333333'] }, logger);
    expect((await statements(2)).map((s) => s.Sid)).toEqual([...first.map((s) => s.Sid), 'lambda-layers-account-333333333333']);
    // Other versions are untouched.
    await expect(statements(1)).rejects.toThrow();
  });

  test('no principals: no calls, no policy', async () => {
    await publishVersions(lambda, 'core', 1);
    await shareLayerVersion(lambda, 'core', 1, { accounts: [] }, logger);
    await expect(statements(1)).rejects.toThrow();
  });
});
