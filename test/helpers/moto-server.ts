import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';

/** A real moto server (Lambda, S3, ...) on 127.0.0.1, started and stopped by the tests. */
export interface MotoServer {
  /** http://127.0.0.1:PORT */
  readonly url: string;
  readonly port: number;
  /** Environment for the AWS SDK (and for child processes such as dist/index.js) pointing at this server. */
  env(region?: string): Record<string, string>;
  /** Clears every account's state (`POST /moto-api/reset`). */
  reset(): Promise<void>;
  /** Creates an IAM role (moto's CreateFunction wants one that exists) and returns its ARN. */
  createRole(name?: string): Promise<string>;
  stop(): Promise<void>;
}

export const MOTO_REGION = 'us-east-1';

/** Variables that could point the SDK at real AWS or a real profile: tests clear them. */
export const AWS_ENV_TO_CLEAR = [
  'AWS_PROFILE',
  'AWS_DEFAULT_PROFILE',
  'AWS_SESSION_TOKEN',
  'AWS_SECURITY_TOKEN',
  'AWS_CONFIG_FILE',
  'AWS_SHARED_CREDENTIALS_FILE',
  'AWS_ROLE_ARN',
  'AWS_WEB_IDENTITY_TOKEN_FILE',
  'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
  'AWS_CONTAINER_CREDENTIALS_FULL_URI',
  'AWS_ENDPOINT_URL_LAMBDA',
  'AWS_ENDPOINT_URL_S3'
] as const;

/** The SDK environment for an endpoint: fake keys, a region, no profile; IMDS off so nothing leaves the machine. */
export function awsTestEnv(endpoint: string, region = MOTO_REGION): Record<string, string> {
  return {
    AWS_ENDPOINT_URL: endpoint,
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    AWS_REGION: region,
    AWS_DEFAULT_REGION: region,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null'
  };
}

/**
 * Sets process.env for in-process SDK calls against `endpoint` and returns a function that restores it.
 * Use in beforeAll/afterAll (or around a test).
 */
export function useAwsEnv(endpoint: string, region = MOTO_REGION): () => void {
  const saved = { ...process.env };
  for (const name of AWS_ENV_TO_CLEAR) delete process.env[name];
  Object.assign(process.env, awsTestEnv(endpoint, region));
  return () => {
    for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
    Object.assign(process.env, saved);
  };
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

let motoChecked = false;

/** Installs moto with pip only when it is missing (the tests install it where it is absent). */
function ensureMoto(): void {
  if (motoChecked) return;
  try {
    execFileSync('python3', ['-c', 'import moto.server'], { stdio: 'ignore' });
  } catch {
    execFileSync('python3', ['-m', 'pip', 'install', '--quiet', 'moto[server]==5.2.1'], { stdio: 'inherit' });
  }
  motoChecked = true;
}

async function waitUntilAnswering(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`moto server exited with ${child.exitCode}:\n${output()}`);
    try {
      const response = await fetch(`${url}/moto-api/`);
      await response.arrayBuffer();
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  throw new Error(`moto server did not answer on ${url} within 30 s:\n${output()}`);
}

export async function startMoto(): Promise<MotoServer> {
  ensureMoto();
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn('python3', ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', 'pipe', 'pipe']
  });
  let log = '';
  const keep = (chunk: Buffer): void => {
    log = (log + chunk.toString()).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  await waitUntilAnswering(url, child, () => log);
  return {
    url,
    port,
    env: (region = MOTO_REGION) => awsTestEnv(url, region),
    async reset() {
      const response = await fetch(`${url}/moto-api/reset`, { method: 'POST' });
      await response.arrayBuffer();
      if (!response.ok) throw new Error(`moto reset answered ${response.status}`);
    },
    async createRole(name = 'lambda-layers-test') {
      // No IAM client among the dependencies: moto picks the service from the credential scope, unsigned is fine.
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/x-www-form-urlencoded',
          Authorization: 'AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=0'
        },
        body: new URLSearchParams({ Action: 'CreateRole', Version: '2010-05-08', RoleName: name, AssumeRolePolicyDocument: '{}' })
      });
      const text = await response.text();
      const arn = /<Arn>([^<]+)<\/Arn>/.exec(text)?.[1];
      if (!response.ok || !arn) throw new Error(`moto CreateRole answered ${response.status}: ${text.slice(0, 300)}`);
      return arn;
    },
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
  };
}
