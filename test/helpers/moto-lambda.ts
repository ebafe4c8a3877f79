import { LambdaClient } from '@aws-sdk/client-lambda';
import { startMoto, useAwsEnv, type MotoServer } from './moto-server.js';

export interface MotoLambda {
  moto: MotoServer;
  /** A client for the moto server (the SDK environment is set for the whole file). */
  lambda: LambdaClient;
}

/**
 * For one test file: starts moto in beforeAll with the SDK environment pointing at it, and stops it in
 * afterAll. The returned object is filled in by beforeAll, so read its fields inside tests and hooks.
 */
export function useMotoLambda(): MotoLambda {
  const context = {} as MotoLambda;
  let restoreEnv: (() => void) | undefined;
  beforeAll(async () => {
    context.moto = await startMoto();
    restoreEnv = useAwsEnv(context.moto.url);
    context.lambda = new LambdaClient({});
  });
  afterAll(async () => {
    context.lambda?.destroy();
    restoreEnv?.();
    await context.moto?.stop();
  });
  return context;
}
