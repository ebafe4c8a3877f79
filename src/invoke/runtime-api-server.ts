import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RuntimeApi } from './runtime-api.js';

export interface RuntimeApiServer {
  /** host:port, as AWS_LAMBDA_RUNTIME_API takes it. */
  address: string;
  close(): Promise<void>;
}

/** Serves one RuntimeApi on 127.0.0.1 (a free port); held requests stay open until close. */
export async function serveRuntimeApi(api: RuntimeApi): Promise<RuntimeApiServer> {
  const held = new Set<ServerResponse>();
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const answer = api.handle({
        method: request.method ?? 'GET',
        url: request.url ?? '/',
        headers: request.headers,
        body: Buffer.concat(chunks)
      });
      if (answer === 'hold') {
        held.add(response);
        return;
      }
      response.writeHead(answer.status, answer.headers).end(answer.body);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    address: `127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const response of held) response.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      })
  };
}
