import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Logger } from '../../src/shared/logger.js';
import { makeSampleApp, type SampleApp } from './sample-app.js';

/**
 * The runner's cache service, protocol v2, in memory: the three Twirp calls under
 * ACTIONS_RESULTS_URL, blob upload as the Azure SDK does it (one PUT, or blocks and a block
 * list; 201 each) and a plain GET download. Enough for the real @actions/cache code.
 */
export interface CacheEntry {
  key: string;
  version: string;
  blob?: Buffer;
  blocks: Map<string, Buffer>;
  finalized: boolean;
  order: number;
}

export interface CacheServer {
  /** ACTIONS_RESULTS_URL, with a trailing slash as the runner sets it. */
  url: string;
  entries: Map<number, CacheEntry>;
  /** Twirp method names and blob requests, in order. */
  calls: string[];
  /** The key of each GetCacheEntryDownloadURL (a restore), in order. */
  lookups: string[];
  /** 'fail' answers 500 to every request. */
  mode: 'ok' | 'fail';
  close(): Promise<void>;
}

const TWIRP = '/twirp/github.actions.results.api.v1.CacheService/';

async function body(req: http.IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function json(res: http.ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
}

export async function startCacheServer(): Promise<CacheServer> {
  const entries = new Map<number, CacheEntry>();
  let next = 1;
  const server: CacheServer = { url: '', entries, calls: [], lookups: [], mode: 'ok', close: () => Promise.resolve() };
  const findNewest = (version: string, match: (key: string) => boolean) =>
    [...entries.values()].filter((e) => e.finalized && e.version === version && match(e.key)).sort((a, b) => b.order - a.order)[0];

  const twirp: Record<string, (req: Record<string, unknown>) => Record<string, unknown>> = {
    CreateCacheEntry: ({ key, version }) => {
      const taken = [...entries.values()].some((e) => e.key === key && e.version === version);
      if (taken) return { ok: false, message: `cache entry ${String(key)} already exists` };
      const id = next++;
      entries.set(id, { key: String(key), version: String(version), blocks: new Map(), finalized: false, order: id });
      return { ok: true, signed_upload_url: `${server.url}blob/cache/${id}` };
    },
    FinalizeCacheEntryUpload: ({ key, version }) => {
      const entry = [...entries.entries()].find(([, e]) => e.key === key && e.version === version && e.blob);
      if (!entry) return { ok: false, message: 'nothing uploaded' };
      entry[1].finalized = true;
      return { ok: true, entry_id: String(entry[0]) };
    },
    // GitHub's matching: the exact key, then a key starting with it, then each restore key by prefix.
    GetCacheEntryDownloadURL: ({ key, version, restore_keys: restoreKeys }) => {
      const primary = String(key);
      server.lookups.push(primary);
      const entry =
        findNewest(String(version), (k) => k === primary) ??
        [primary, ...((restoreKeys as string[] | undefined) ?? [])].reduce<CacheEntry | undefined>(
          (found, prefix) => found ?? findNewest(String(version), (k) => k.startsWith(prefix)),
          undefined
        );
      if (!entry) return { ok: false };
      const id = [...entries.entries()].find(([, e]) => e === entry)?.[0];
      return { ok: true, signed_download_url: `${server.url}blob/cache/${id}`, matched_key: entry.key };
    }
  };

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<unknown> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const data = await body(req);
    const twirpMethod = req.method === 'POST' && url.pathname.startsWith(TWIRP) ? url.pathname.slice(TWIRP.length) : undefined;
    if (twirpMethod) server.calls.push(twirpMethod);
    if (server.mode === 'fail') return json(res, 500, { msg: 'internal error' });
    if (twirpMethod) {
      const method = twirpMethod;
      const handler = twirp[method];
      if (!handler) return json(res, 404, { code: 'bad_route', msg: method });
      return json(res, 200, handler(JSON.parse(data.toString('utf8') || '{}') as Record<string, unknown>));
    }
    const blob = /^\/blob\/cache\/(\d+)$/.exec(url.pathname);
    const entry = blob ? entries.get(Number(blob[1])) : undefined;
    if (!entry) return json(res, 404, { msg: 'no such blob' });
    server.calls.push(`${req.method} blob${url.searchParams.get('comp') ? ` ${url.searchParams.get('comp')}` : ''}`);
    if (req.method === 'GET') {
      return res.writeHead(200, { 'content-length': entry.blob?.length ?? 0, 'content-type': 'application/octet-stream' }).end(entry.blob);
    }
    if (req.method !== 'PUT') return json(res, 405, {});
    const comp = url.searchParams.get('comp');
    if (comp === 'block') entry.blocks.set(url.searchParams.get('blockid') ?? '', data);
    else if (comp === 'blocklist') {
      const ids = [...data.toString('utf8').matchAll(/<(?:Latest|Uncommitted|Committed)>([^<]*)<\//g)].map((m) => m[1] ?? '');
      entry.blob = Buffer.concat(ids.map((id) => entry.blocks.get(id) ?? Buffer.alloc(0)));
    } else entry.blob = data;
    return res.writeHead(201, { etag: `"${entry.order}"`, 'last-modified': new Date().toUTCString() }).end();
  };
  const http_ = http.createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve) => http_.listen(0, '127.0.0.1', resolve));
  server.url = `http://127.0.0.1:${(http_.address() as AddressInfo).port}/`;
  server.close = () => new Promise((resolve) => http_.close(() => resolve()));
  return server;
}

/** A URL nothing listens on: connections are refused. */
export async function refusedUrl(): Promise<string> {
  const probe = http.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return `http://127.0.0.1:${port}/`;
}

/** The runner's variables for the cache service (protocol v2), and a local cache folder of the run's own. */
export function runnerCacheEnv(resultsUrl: string, runnerTemp: string, localCache: string): Record<string, string> {
  return {
    ACTIONS_CACHE_SERVICE_V2: '1',
    ACTIONS_RESULTS_URL: resultsUrl,
    ACTIONS_RUNTIME_TOKEN: 'test-token',
    RUNNER_TEMP: runnerTemp,
    // Another host would make @actions/cache fall back to protocol v1.
    GITHUB_SERVER_URL: 'https://github.com',
    XDG_CACHE_HOME: localCache
  };
}

export interface CacheFixture {
  app: SampleApp;
  server: CacheServer;
  /** The runner's cache variables for one run: its own RUNNER_TEMP-side local cache folder. */
  env(resultsUrl: string, run: string): Record<string, string>;
}

/** For one test file: the sample app and a cache service, started before its tests and removed after. */
export function useCacheFixture(): CacheFixture {
  const fixture = {
    env: (resultsUrl: string, run: string) =>
      runnerCacheEnv(resultsUrl, fixture.app.base, path.join(fixture.app.base, `local-cache-${run}`))
  } as CacheFixture;
  beforeAll(async () => {
    fixture.app = await makeSampleApp();
    fixture.server = await startCacheServer();
  });
  afterAll(async () => {
    await fixture.server.close();
    await rm(fixture.app.base, { recursive: true, force: true });
  });
  return fixture;
}

/** The cache service in this process: the runner's variables point at a local server, warnings are kept. */
export interface InProcessCache {
  server: CacheServer;
  /** A scratch folder, the workspace and the runner's temp. */
  work: string;
  warnings: string[];
  logger: Logger;
}

/** Starts the server and sets the runner's variables for the tests of one file; warnings are cleared before each. */
export function useInProcessCache(name: string): InProcessCache {
  const saved = { ...process.env };
  const warnings: string[] = [];
  const logger: Logger = { info: () => {}, warning: (m) => void warnings.push(m), error: (m) => void warnings.push(m), detail: () => {} };
  const fixture = { warnings, logger } as Partial<InProcessCache> as InProcessCache;
  beforeAll(async () => {
    fixture.server = await startCacheServer();
    fixture.work = await mkdtemp(path.join(os.tmpdir(), `lambda-layers-${name}-`));
    Object.assign(process.env, runnerCacheEnv(fixture.server.url, fixture.work, path.join(fixture.work, 'local')), {
      GITHUB_WORKSPACE: fixture.work
    });
  });
  afterAll(async () => {
    process.env = saved;
    await fixture.server.close();
    await rm(fixture.work, { recursive: true, force: true });
  });
  beforeEach(() => {
    warnings.length = 0;
  });
  return fixture;
}
