import {
  CreateFunctionCommand,
  GetFunctionConfigurationCommand,
  PublishLayerVersionCommand,
  type LambdaClient
} from '@aws-sdk/client-lambda';
import { strToU8, zipSync } from 'fflate';

/** A small zip in memory (one file, fixed mtime): enough for a layer version or a function's code. */
export function tinyZip(name: string, content: string): Buffer {
  return Buffer.from(zipSync({ [name]: strToU8(content) }, { mtime: new Date(1980, 0, 1) }));
}

/** Publishes `count` versions of a layer (each with different content) and returns their ARNs, oldest first. */
export async function publishVersions(lambda: LambdaClient, layerName: string, count: number): Promise<string[]> {
  const arns: string[] = [];
  for (let i = 0; i < count; i++) {
    const zip = tinyZip(`python/${layerName.replace(/\W/g, '_')}.py`, `VERSION = ${arns.length + 1}\n`);
    const published = await lambda.send(
      new PublishLayerVersionCommand({ LayerName: layerName, Content: { ZipFile: zip }, CompatibleRuntimes: ['python3.12'] })
    );
    arns.push(published.LayerVersionArn!);
  }
  return arns;
}

/** A python3.12 function with the given layers, in order. */
export async function createFunction(lambda: LambdaClient, functionName: string, role: string, layers: string[]): Promise<void> {
  await lambda.send(
    new CreateFunctionCommand({
      FunctionName: functionName,
      Runtime: 'python3.12',
      Role: role,
      Handler: 'app.handler',
      Code: { ZipFile: tinyZip('app.py', 'def handler(event, context):\n    return 1\n') },
      Layers: layers
    })
  );
}

/** A function's layer ARNs in order and its revision (which changes on every update). */
export async function functionLayers(
  lambda: LambdaClient,
  functionName: string
): Promise<{ layers: string[]; revision: string | undefined }> {
  const config = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: functionName }));
  return { layers: (config.Layers ?? []).map((l) => l.Arn!), revision: config.RevisionId };
}
