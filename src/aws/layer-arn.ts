/**
 * Lambda layer version ARNs: arn:<partition>:lambda:<region>:<account>:layer:<name>:<version>.
 * Pure: the manifest reader, rollback and retention all match layers by these parts.
 */
export interface LayerVersionArn {
  partition: string;
  region: string;
  account: string;
  layerName: string;
  version: number;
}

/** Lambda's own pattern for layer names; the version is a positive integer that is never reused. */
const LAYER_VERSION_ARN = /^arn:(aws[a-z-]*):lambda:([a-z]{2}(?:-[a-z]+)+-\d+):(\d{12}):layer:([a-zA-Z0-9_-]{1,140}):([1-9]\d{0,15})$/;

export function parseLayerVersionArn(arn: string): LayerVersionArn | undefined {
  const match = LAYER_VERSION_ARN.exec(arn);
  if (!match) return undefined;
  const [, partition, region, account, layerName, version] = match as unknown as [string, string, string, string, string, string];
  return { partition, region, account, layerName, version: Number(version) };
}

export function formatLayerVersionArn(arn: LayerVersionArn): string {
  return `${layerArn(arn)}:${arn.version}`;
}

/** The layer's ARN without a version: what every version of one layer shares. */
export function layerArn(arn: Omit<LayerVersionArn, 'version'>): string {
  return `arn:${arn.partition}:lambda:${arn.region}:${arn.account}:layer:${arn.layerName}`;
}

/** The unversioned ARN of a version ARN, or undefined when it is not a layer version ARN. */
export function unversionedLayerArn(versionArn: string): string | undefined {
  const parsed = parseLayerVersionArn(versionArn);
  return parsed && layerArn(parsed);
}
