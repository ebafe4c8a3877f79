import {
  GetFunctionConfigurationCommand,
  ResourceNotFoundException,
  UpdateFunctionConfigurationCommand,
  waitUntilFunctionUpdatedV2,
  type LambdaClient
} from '@aws-sdk/client-lambda';

/** How long to wait for one function's configuration update to finish. */
const UPDATE_WAIT_SECONDS = 300;

/** A function's layer version ARNs in order, or undefined when no function has that name. */
export async function currentFunctionLayers(lambda: LambdaClient, functionName: string): Promise<string[] | undefined> {
  try {
    const config = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: functionName }));
    return (config.Layers ?? []).flatMap((layer) => (layer.Arn ? [layer.Arn] : []));
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return undefined;
    throw error;
  }
}

/** Sets a function's layers (in order) and waits until Lambda has finished the update. */
export async function setFunctionLayers(lambda: LambdaClient, functionName: string, layers: string[]): Promise<void> {
  await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: functionName, Layers: layers }));
  await waitUntilFunctionUpdatedV2({ client: lambda, maxWaitTime: UPDATE_WAIT_SECONDS }, { FunctionName: functionName });
}
