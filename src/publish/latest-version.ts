import {
  GetLayerVersionCommand,
  ListLayerVersionsCommand,
  type LambdaClient,
  type ListLayerVersionsResponse
} from '@aws-sdk/client-lambda';
import { allPages } from '../aws/pages.js';

/** The newest version of a layer and the hash Lambda computed for its zip. */
export interface LatestVersion {
  arn: string;
  version: number;
  /** Base64 SHA-256 of the zip, as Lambda reports it. */
  codeSha256: string;
}

/**
 * The latest version of a layer, or undefined when it has none. Every page is read and the highest
 * number taken, so nothing hangs on the listing's order. The hash needs GetLayerVersion: the listing
 * has no Content (and GetLayerVersionByArn is not used: moto answers it wrongly).
 */
export async function latestLayerVersion(lambda: LambdaClient, layerName: string): Promise<LatestVersion | undefined> {
  const newest = await newestVersionNumber((marker) =>
    lambda.send(new ListLayerVersionsCommand({ LayerName: layerName, Marker: marker, MaxItems: 50 }))
  );
  if (newest === undefined) return undefined;
  const got = await lambda.send(new GetLayerVersionCommand({ LayerName: layerName, VersionNumber: newest }));
  if (!got.LayerVersionArn || !got.Content?.CodeSha256) {
    throw new Error(`GetLayerVersion for ${layerName} version ${newest} returned no ARN or CodeSha256`);
  }
  return { arn: got.LayerVersionArn, version: newest, codeSha256: got.Content.CodeSha256 };
}

/** The highest version number over every page of ListLayerVersions (given as a page-fetching callback). */
export async function newestVersionNumber(
  listPage: (marker: string | undefined) => Promise<Pick<ListLayerVersionsResponse, 'LayerVersions' | 'NextMarker'>>
): Promise<number | undefined> {
  const versions = await allPages(async (marker) => {
    const page = await listPage(marker);
    return { items: page.LayerVersions ?? [], nextMarker: page.NextMarker };
  });
  let newest: number | undefined;
  for (const { Version } of versions) if (Version !== undefined && (newest === undefined || Version > newest)) newest = Version;
  return newest;
}
