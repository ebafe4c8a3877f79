/** The shipped CLI (dist/) on SAM templates: parameters from --parameter-overrides, skipped resources counted. */
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { makeSampleApp, runCli, type SampleApp } from '../helpers/sample-app.js';
import type { Report } from '../../src/report/report.js';

const TEMPLATE = `Transform: AWS::Serverless-2016-10-31
Parameters:
  ValidateCode:
    Type: String
    Default: functions/missing/
  Stage:
    Type: String
    Default: dev
    AllowedValues: [dev, prod]
Globals:
  Function:
    Runtime: python3.12
Resources:
  CoreLayer:
    Type: AWS::Serverless::LayerVersion
    Properties:
      ContentUri: layers/core/
    Metadata:
      BuildMethod: python3.12
  Validate:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: !Ref ValidateCode
      Handler: app.handler
      Layers: [!Ref CoreLayer]
      Environment:
        Variables:
          STAGE: !Ref Stage
  Legacy:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: s3://artifacts/legacy.zip
      Handler: app.handler
  Web:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: web/
      Handler: index.handler
      Runtime: nodejs22.x
`;

let app: SampleApp;
beforeAll(async () => {
  app = await makeSampleApp({ 'template.yaml': TEMPLATE });
});
afterAll(async () => {
  await rm(app.base, { recursive: true, force: true });
});

test('--parameter-overrides (SAM syntax, several pairs in one value) resolve the template; without them the Default applies', async () => {
  const defaults = await runCli(app, ['build']);
  expect(defaults.code).toBe(2);
  expect(defaults.stderr).toContain(`${path.join(app.repo, 'template.yaml')}:20: CodeUri functions/missing is not a folder`);

  const badValue = await runCli(app, ['build', '--parameter-overrides', 'ValidateCode=functions/validate/ Stage=qa']);
  expect(badValue.code).toBe(2);
  expect(badValue.stderr).toContain('parameter Stage: "qa" is not one of its AllowedValues (dev, prod)');

  const result = await runCli(app, ['build', '--parameter-overrides', 'ValidateCode="functions/validate/" Stage=prod']);
  expect(result.stderr).not.toContain('error:');
  expect(result.code).toBe(0);
  const report = JSON.parse(await readFile(path.join(app.repo, '.lambda-layers/report.json'), 'utf8')) as Report;
  expect(report.functions.map((f) => [f.name, f.verification.status])).toEqual([['Validate', 'passed']]);
});

test('the table counts and lists the resources not built, like the report', async () => {
  const result = await runCli(app, ['build', '--parameter-overrides', 'ValidateCode=functions/validate/']);
  expect(result.code).toBe(0);
  const tail = result.stdout.trimEnd().split('\n').slice(-3);
  expect(tail).toEqual([
    '2 skipped (not built here):',
    '  skipped Legacy: its code is in S3, so it is not built',
    '  skipped Web: runtime nodejs22.x is not Python'
  ]);
  const report = JSON.parse(await readFile(path.join(app.repo, '.lambda-layers/report.json'), 'utf8')) as Report;
  expect(report.skipped).toHaveLength(2);
});
