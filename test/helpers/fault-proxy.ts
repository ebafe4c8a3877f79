import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the proxy does to one request instead of forwarding it. */
export type Fault = 500 | 429 | 'drop';

export interface FaultProxy {
  readonly url: string;
  /** Faults for the next requests that match, in order; the ones after them are forwarded. */
  inject(faults: Fault[], matches?: (req: http.IncomingMessage) => boolean): void;
  /** Faults still waiting for a request. */
  pending(): number;
  /** Every request seen (method and path), faulted or forwarded. */
  readonly seen: string[];
  close(): Promise<void>;
}

/** Lambda's PublishLayerVersion: POST /2018-10-31/layers/<name>/versions. */
export const isPublishLayerVersion = (req: http.IncomingMessage): boolean =>
  req.method === 'POST' && /^\/2018-10-31\/layers\/[^/]+\/versions$/.test(req.url ?? '');

const FAULT_BODIES: Record<500 | 429, { type: string; message: string }> = {
  500: { type: 'ServiceException', message: 'injected internal error' },
  429: { type: 'TooManyRequestsException', message: 'Rate exceeded' }
};

/**
 * A small HTTP proxy in front of a local server (moto) that answers 500 or 429, or drops the connection,
 * for chosen requests. Faults happen before forwarding: the server never sees a faulted request.
 */
export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const queue: Array<{ fault: Fault; matches: (req: http.IncomingMessage) => boolean }> = [];
  const seen: string[] = [];
  const server = http.createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    const index = queue.findIndex((q) => q.matches(req));
    const fault = index >= 0 ? queue.splice(index, 1)[0]!.fault : undefined;
    if (fault === 'drop') {
      // Read part of the request, then cut the connection: the client sees a reset mid-request.
      req.once('data', () => req.socket.destroy());
      req.once('end', () => req.socket.destroy());
      return;
    }
    if (fault !== undefined) {
      req.resume();
      req.on('end', () => {
        const body = FAULT_BODIES[fault];
        res.writeHead(fault, { 'Content-Type': 'application/json', 'x-amzn-ErrorType': body.type });
        res.end(JSON.stringify({ Type: 'User', message: body.message }));
      });
      return;
    }
    const upstream = http.request(new URL(req.url ?? '/', target), { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => req.socket.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    inject(faults, matches = () => true) {
      queue.push(...faults.map((fault) => ({ fault, matches })));
    },
    pending: () => queue.length,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      })
  };
}
