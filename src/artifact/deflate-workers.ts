import os from 'node:os';
import { Worker } from 'node:worker_threads';

/** A file as it goes into a zip: its CRC-32 and size, and its bytes deflated, or stored when deflating does not help. */
export interface PackedFile {
  crc: number;
  size: number;
  deflated: boolean;
  data: Uint8Array;
}

// Plain JavaScript, evaluated in each worker: bundlers leave a string alone. Each worker reads and
// deflates whole batches synchronously: zlib's async API costs a thread-pool round trip and a new
// zlib stream per file, which dominates a layer of thousands of small files.
// A window no larger than the file finds the same matches, and zlib clears far less memory per file.
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { readFileSync } = require('node:fs');
const zlib = require('node:zlib');
function pack(file, level) {
  const data = readFileSync(file);
  const crc = zlib.crc32(data);
  if (level > 0 && data.length > 0) {
    const windowBits = Math.min(15, Math.max(9, Math.ceil(Math.log2(data.length))));
    const deflated = zlib.deflateRawSync(data, { level, windowBits, memLevel: Math.max(1, Math.min(8, windowBits - 6)) });
    if (deflated.length < data.length) return { crc, size: data.length, deflated: true, data: deflated };
  }
  return { crc, size: data.length, deflated: false, data };
}
parentPort.on('message', ({ id, files, level }) => {
  try {
    const results = files.map((file) => pack(file, level));
    // Moved, not copied, when a result owns its whole buffer (small reads share a pooled one: those are copied).
    const moved = results.flatMap((r) => (r.data.byteOffset === 0 && r.data.byteLength === r.data.buffer.byteLength ? [r.data.buffer] : []));
    parentPort.postMessage({ id, results }, [...new Set(moved)]);
  } catch (error) {
    parentPort.postMessage({ id, error: error.message });
  }
});`;

interface Reply {
  id: number;
  results?: PackedFile[];
  error?: string;
}

// Zipping is bounded by reading files well before this many cores.
const MAX_WORKERS = 8;

/** Worker threads that read and deflate batches of files, one per core. */
export class DeflateWorkers {
  private readonly workers: Worker[];
  private readonly queued: number[];
  private readonly waiting = new Map<number, { resolve: (r: PackedFile[]) => void; reject: (e: Error) => void }>();
  private nextId = 0;

  constructor(
    private readonly level: number,
    count = Math.min(MAX_WORKERS, os.availableParallelism())
  ) {
    this.workers = Array.from({ length: count }, () => new Worker(WORKER_SOURCE, { eval: true }));
    this.queued = this.workers.map(() => 0);
    this.workers.forEach((worker) => {
      worker.on('message', (reply: Reply) => this.settle(reply));
      worker.on('error', (error) => this.failAll(error));
    });
  }

  /** Packs files (absolute paths) on the least busy worker; `bytes` is their total size, for balancing. */
  pack(files: readonly string[], bytes: number): Promise<PackedFile[]> {
    const index = this.queued.indexOf(Math.min(...this.queued));
    const id = this.nextId++;
    this.queued[index]! += bytes;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, {
        resolve: (results) => {
          this.queued[index]! -= bytes;
          resolve(results);
        },
        reject
      });
      this.workers[index]!.postMessage({ id, files, level: this.level });
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  private settle(reply: Reply): void {
    const waiter = this.waiting.get(reply.id);
    this.waiting.delete(reply.id);
    if (!waiter) return;
    if (reply.results) waiter.resolve(reply.results);
    else waiter.reject(new Error(reply.error ?? 'deflate worker failed'));
  }

  private failAll(error: Error): void {
    for (const waiter of this.waiting.values()) waiter.reject(error);
    this.waiting.clear();
  }
}
