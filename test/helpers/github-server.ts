import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StoredComment {
  id: number;
  issue: number;
  body: string;
  user: { login: string; type: string };
}

/** What the fake GitHub answers; tests change it between runs. */
export interface GitHubState {
  comments: StoredComment[];
  /** The login comments created with this token get (REST shows bots with a [bot] suffix). */
  tokenLogin: string;
  /** GET /user: 403 as for the runner's GITHUB_TOKEN (an installation token). */
  userForbidden: boolean;
  /** GraphQL viewer fails too: the identity is unknown. */
  viewerFails: boolean;
  /** Create, update and delete answer 403 "Resource not accessible by integration", as for a fork PR's token. */
  readOnly: boolean;
  /** `${base}...${head}` → merge-base SHA. */
  mergeBases: Record<string, string>;
  /** commit SHA → its parents. */
  parents: Record<string, string[]>;
  pulls: Record<number, { headSha: string; baseSha: string }>;
  /** Every request, as "METHOD path". */
  log: string[];
}

export interface GitHubServer {
  url: string;
  state: GitHubState;
  close(): Promise<void>;
}

const REPO_PATH = /^\/repos\/([^/]+)\/([^/]+)\/(.+)$/;

function send(res: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(body === undefined ? '' : JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

const FORBIDDEN = { message: 'Resource not accessible by integration', documentation_url: 'https://docs.github.com/rest' };

/** The REST endpoints (and the GraphQL viewer) the action uses, in memory, on 127.0.0.1. */
export async function startGitHubServer(initial: Partial<GitHubState> = {}): Promise<GitHubServer> {
  const state: GitHubState = {
    comments: [],
    tokenLogin: 'github-actions[bot]',
    userForbidden: true,
    viewerFails: false,
    readOnly: false,
    mergeBases: {},
    parents: {},
    pulls: {},
    log: [],
    ...initial
  };
  let nextId = 1000 + state.comments.length;
  let base = '';
  const comment = (c: StoredComment) => ({ id: c.id, body: c.body, user: c.user, html_url: `${base}/comments/${c.id}` });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', base);
    state.log.push(`${req.method} ${url.pathname}`);
    if (url.pathname === '/user') {
      return state.userForbidden ? send(res, 403, FORBIDDEN) : send(res, 200, { login: state.tokenLogin, type: 'User' });
    }
    if (url.pathname === '/graphql' && req.method === 'POST') {
      const { query } = await readBody(req);
      if (state.viewerFails || !String(query).includes('viewer')) return send(res, 200, { errors: [{ message: 'viewer unavailable' }] });
      return send(res, 200, { data: { viewer: { login: state.tokenLogin.replace(/\[bot\]$/, '') } } });
    }
    const match = REPO_PATH.exec(url.pathname);
    if (!match) return send(res, 404, { message: 'Not Found' });
    const [, , , rest = ''] = match;
    let m: RegExpExecArray | null;
    if ((m = /^issues\/(\d+)\/comments$/.exec(rest))) {
      const issue = Number(m[1]);
      if (req.method === 'GET') {
        const perPage = Math.min(Number(url.searchParams.get('per_page') ?? 30), 100);
        const page = Number(url.searchParams.get('page') ?? 1);
        const all = state.comments.filter((c) => c.issue === issue);
        const last = Math.max(1, Math.ceil(all.length / perPage));
        const link = (p: number, rel: string) => `<${base}${url.pathname}?per_page=${perPage}&page=${p}>; rel="${rel}"`;
        const links = page < last ? [link(page + 1, 'next'), link(last, 'last')] : [];
        return send(res, 200, all.slice((page - 1) * perPage, page * perPage).map(comment), links.length ? { link: links.join(', ') } : {});
      }
      if (req.method === 'POST') {
        if (state.readOnly) return send(res, 403, FORBIDDEN);
        const { body } = await readBody(req);
        const created: StoredComment = { id: nextId++, issue, body: String(body), user: { login: state.tokenLogin, type: 'Bot' } };
        state.comments.push(created);
        return send(res, 201, comment(created));
      }
    }
    if ((m = /^issues\/comments\/(\d+)$/.exec(rest))) {
      const index = state.comments.findIndex((c) => c.id === Number(m![1]));
      if (index < 0) return send(res, 404, { message: 'Not Found' });
      if (state.readOnly) return send(res, 403, FORBIDDEN);
      if (req.method === 'PATCH') {
        const { body } = await readBody(req);
        state.comments[index]!.body = String(body);
        return send(res, 200, comment(state.comments[index]!));
      }
      if (req.method === 'DELETE') {
        state.comments.splice(index, 1);
        return send(res, 204);
      }
    }
    if ((m = /^compare\/(.+)$/.exec(rest)) && req.method === 'GET') {
      const mergeBase = state.mergeBases[decodeURIComponent(m[1]!)];
      return mergeBase ? send(res, 200, { merge_base_commit: { sha: mergeBase } }) : send(res, 404, { message: 'Not Found' });
    }
    if ((m = /^commits\/([^/]+)$/.exec(rest)) && req.method === 'GET') {
      const parents = state.parents[m[1]!];
      return parents ? send(res, 200, { sha: m[1], parents: parents.map((sha) => ({ sha })) }) : send(res, 404, { message: 'Not Found' });
    }
    if ((m = /^pulls\/(\d+)$/.exec(rest)) && req.method === 'GET') {
      const pull = state.pulls[Number(m[1])];
      const repo = { full_name: `${match[1]}/${match[2]}` };
      return pull
        ? send(res, 200, { number: Number(m[1]), head: { sha: pull.headSha, repo }, base: { sha: pull.baseSha, repo } })
        : send(res, 404, { message: 'Not Found' });
    }
    return send(res, 404, { message: 'Not Found' });
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: Error) => send(res, 500, { message: error.message }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    state,
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())))
  };
}

/** A comment as another user (or we, in an earlier run) left it. */
export function seedComment(state: GitHubState, issue: number, login: string, body: string): StoredComment {
  const c: StoredComment = {
    id: 100 + state.comments.length,
    issue,
    body,
    user: { login, type: login.endsWith('[bot]') ? 'Bot' : 'User' }
  };
  state.comments.push(c);
  return c;
}
