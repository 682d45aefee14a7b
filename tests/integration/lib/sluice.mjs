// Helpers for the node integration tests: start and stop the real `sluice` binary on a free
// 127.0.0.1 port in a temporary data dir, make SDK clients for it, and read what it delivered
// to its embedded bucket store (<data-dir>/buckets/<bucket>/<key>). Every wait is bounded.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { gunzipSync } from 'node:zlib';
import { FirehoseClient } from '@aws-sdk/client-firehose';

export const WAIT_MS = Number(process.env.SLUICE_TEST_WAIT_SECONDS ?? 30) * 1000;

const running = new Set();
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export function sluiceBin() {
  const bin = process.env.SLUICE_BIN;
  if (!bin) throw new Error('SLUICE_BIN must name the sluice binary');
  return bin;
}

export function makeTempDir(tag) {
  return fs.mkdtempSync(path.join(os.tmpdir(), `sluice-it-${tag}-`));
}

export async function freePort() {
  const server = net.createServer();
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

// Polls `probe` every 100 ms until it returns a truthy value, which is returned. Past
// `timeoutMs` it throws, naming `what` and the last value or error seen.
export async function waitFor(what, probe, timeoutMs = WAIT_MS) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
      last = value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (last: ${last})`);
    }
    await sleep(100);
  }
}

// Keys of the objects under a bucket folder, sorted. Paths with a component starting with '.'
// are in-flight temporaries, not objects.
export function listObjects(bucketDir) {
  if (!fs.existsSync(bucketDir)) return [];
  return fs
    .readdirSync(bucketDir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(bucketDir, path.join(entry.parentPath ?? entry.path, entry.name)))
    .filter((key) => !key.split(path.sep).some((part) => part.startsWith('.')))
    .sort();
}

// An object's bytes, gunzipped when the key ends in .gz.
export function readObject(bucketDir, key) {
  const raw = fs.readFileSync(path.join(bucketDir, key));
  return key.endsWith('.gz') ? gunzipSync(raw) : raw;
}

export class Server {
  // Starts `sluice serve` with `args` appended; resolves once the port answers HTTP.
  static async start({ dataDir, args = [] }) {
    const server = new Server(dataDir, await freePort());
    server.#spawn(args);
    await server.#waitReady();
    return server;
  }

  constructor(dataDir, port) {
    this.dataDir = dataDir;
    this.port = port;
    this.endpoint = `http://127.0.0.1:${port}`;
    this.logPath = path.join(dataDir, '..', `server-${port}.log`);
  }

  #spawn(args) {
    const log = fs.openSync(this.logPath, 'a');
    this.child = spawn(
      sluiceBin(),
      ['serve', '--listen', `127.0.0.1:${this.port}`, '--data-dir', this.dataDir, ...args],
      { stdio: ['ignore', log, log] },
    );
    fs.closeSync(log);
    running.add(this.child);
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => {
        running.delete(this.child);
        resolve({ code, signal });
      });
    });
  }

  async #waitReady() {
    let exit;
    this.exited.then((value) => { exit = value; });
    await waitFor(`the server to answer on ${this.endpoint}`, async () => {
      if (exit) {
        throw new Error(`server exited (${JSON.stringify(exit)}) before answering:\n${this.logTail()}`);
      }
      try {
        await fetch(`${this.endpoint}/`, { signal: AbortSignal.timeout(1000) });
        return true;
      } catch (error) {
        if (exit) throw error;
        return false;
      }
    });
  }

  logTail(lines = 40) {
    try {
      return fs.readFileSync(this.logPath, 'utf8').split('\n').slice(-lines).join('\n');
    } catch {
      return '(no server log)';
    }
  }

  // SIGTERM and wait; resolves to {code, signal}. SIGKILLs past WAIT_MS.
  async stop() {
    return this.#signal('SIGTERM');
  }

  async kill9() {
    return this.#signal('SIGKILL');
  }

  async #signal(signal) {
    this.child.kill(signal);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), WAIT_MS);
    const exit = await this.exited;
    clearTimeout(timer);
    return exit;
  }

  // A Firehose client for this server: dummy credentials, no retries (so each call is one
  // request and an error reaches the test as it was answered).
  client() {
    return new FirehoseClient({
      endpoint: this.endpoint,
      region: 'us-east-1',
      credentials: {
        accessKeyId: 'AKIDEXAMPLE',
        secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
      },
      maxAttempts: 1,
      requestHandler: { connectionTimeout: 5000, requestTimeout: 60000 },
    });
  }

  bucketDir(bucket) {
    return path.join(this.dataDir, 'buckets', bucket);
  }

  listObjects(bucket) {
    return listObjects(this.bucketDir(bucket));
  }

  readObject(bucket, key) {
    return readObject(this.bucketDir(bucket), key);
  }

  // Waits until the objects of `bucket` not in `before` hold, concatenated in key order, at
  // least `expected.length` bytes; returns {keys, bytes}. Compare `bytes` with `expected`.
  async waitDelivered(bucket, before, expected) {
    const known = new Set(before);
    return waitFor(`${expected.length} bytes of new objects in bucket ${bucket}`, () => {
      const keys = this.listObjects(bucket).filter((key) => !known.has(key));
      const bytes = Buffer.concat(keys.map((key) => this.readObject(bucket, key)));
      return bytes.length >= expected.length ? { keys, bytes } : null;
    });
  }
}
