/** Lambda's and AWS's own rules for names, checked before any call. */
export const AWS_REGION = /^[a-z]{2}(?:-[a-z]+)+-\d+$/;
/** A layer name, not an ARN. */
export const LAYER_NAME = /^[a-zA-Z0-9_-]{1,140}$/;
/** A function name: the same characters, up to 64. */
export const FUNCTION_NAME = /^[a-zA-Z0-9_-]{1,64}$/;
/** A CloudFormation logical ID (a layer's or function's name in reports and manifests); template parameter names too. */
export const LOGICAL_ID = /^[A-Za-z0-9]{1,255}$/;
