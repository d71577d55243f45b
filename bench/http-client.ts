/**
 * The load generator's HTTP client for the benchmarks: keep-alive HTTP/1.1 over raw sockets, and
 * the machine line every benchmark prints. The load generator shares the machine's two cores with
 * the server it measures. node:http and undici cost ~115 µs of CPU per request here; writing the
 * request line and reading content-length off the socket costs about a third of that. At 6,000
 * requests/s the generator then keeps to under half a core, beside the server's one thread.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import net from 'node:net';
import { cpus } from 'node:os';

export interface HttpResponse {
  status: number;
  body: string;
}

export interface HttpClient {
  request(method: string, path: string, body?: unknown): Promise<HttpResponse>;
  close(): void;
}

const HEADER_END = Buffer.from('\r\n\r\n');

/** One keep-alive connection that carries one request at a time. */
class Connection {
  private readonly socket: net.Socket;
  private buffered: Buffer = Buffer.alloc(0);
  private waiting?: { resolve: (r: HttpResponse) => void; reject: (e: Error) => void; head: boolean };
  closed = false;

  constructor(host: string, port: number, onClose: (c: Connection) => void) {
    this.socket = net.connect(port, host);
    this.socket.setNoDelay(true);
    this.socket.on('data', (data: Buffer) => {
      this.buffered = this.buffered.length === 0 ? data : Buffer.concat([this.buffered, data]);
      this.readResponse();
    });
    const end = (error: Error) => {
      this.closed = true;
      this.waiting?.reject(error);
      this.waiting = undefined;
      onClose(this);
    };
    this.socket.on('error', end);
    this.socket.on('close', () => end(new Error('the server closed the connection')));
  }

  send(method: string, host: string, path: string, body: string | undefined): Promise<HttpResponse> {
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject, head: method === 'HEAD' };
      let head = `${method} ${path} HTTP/1.1\r\nhost: ${host}\r\n`;
      if (body !== undefined) {
        head += `content-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n`;
      }
      this.socket.write(body === undefined ? `${head}\r\n` : `${head}\r\n${body}`);
    });
  }

  /** Takes one whole response off the buffer once it has arrived: content-length or chunked. */
  private readResponse(): void {
    const waiting = this.waiting;
    if (!waiting) return;
    const headerEnd = this.buffered.indexOf(HEADER_END);
    if (headerEnd < 0) return;
    const head = this.buffered.toString('latin1', 0, headerEnd);
    const status = Number(head.slice(9, 12));
    const start = headerEnd + 4;
    let body: string;
    let rest: Buffer;
    const length = /\r\ncontent-length: *(\d+)/i.exec(head);
    if (length || waiting.head || status === 204 || status === 304) {
      const n = length && !waiting.head ? Number(length[1]) : 0;
      if (this.buffered.length < start + n) return;
      body = this.buffered.toString('utf8', start, start + n);
      rest = this.buffered.subarray(start + n);
    } else if (/\r\ntransfer-encoding: *chunked/i.test(head)) {
      const chunks: Buffer[] = [];
      let at = start;
      for (;;) {
        const lineEnd = this.buffered.indexOf('\r\n', at);
        if (lineEnd < 0) return;
        const size = Number.parseInt(this.buffered.toString('latin1', at, lineEnd), 16);
        if (this.buffered.length < lineEnd + 2 + size + 2) return;
        if (size === 0) {
          at = lineEnd + 4;
          break;
        }
        chunks.push(this.buffered.subarray(lineEnd + 2, lineEnd + 2 + size));
        at = lineEnd + 2 + size + 2;
      }
      body = Buffer.concat(chunks).toString('utf8');
      rest = this.buffered.subarray(at);
    } else {
      waiting.reject(new Error(`a response without a length: ${head.split('\r\n')[0]}`));
      this.socket.destroy();
      return;
    }
    this.buffered = rest;
    this.waiting = undefined;
    waiting.resolve({ status, body });
  }

  destroy(): void {
    this.socket.destroy();
  }
}

/** Up to `maxSockets` keep-alive connections to host:port; a request waits for a free one. */
export function httpClient(port: number, maxSockets: number, host = '127.0.0.1'): HttpClient {
  const idle: Connection[] = [];
  const all = new Set<Connection>();
  const queue: Array<(c: Connection) => void> = [];
  const open = () => {
    const c = new Connection(host, port, drop);
    all.add(c);
    return c;
  };
  function drop(c: Connection): void {
    all.delete(c);
    const i = idle.indexOf(c);
    if (i >= 0) idle.splice(i, 1);
    // a request waiting for a connection gets a new one in place of the closed one
    queue.shift()?.(open());
  }
  const acquire = (): Promise<Connection> => {
    const c = idle.pop();
    if (c) return Promise.resolve(c);
    if (all.size < maxSockets) return Promise.resolve(open());
    return new Promise((resolve) => queue.push(resolve));
  };
  const release = (c: Connection) => {
    if (c.closed) return;
    const next = queue.shift();
    if (next) next(c);
    else idle.push(c);
  };
  return {
    async request(method, path, body) {
      const c = await acquire();
      try {
        return await c.send(
          method,
          `${host}:${port}`,
          path,
          body === undefined ? undefined : JSON.stringify(body),
        );
      } finally {
        release(c);
      }
    },
    close() {
      queue.length = 0;
      for (const c of [...all]) c.destroy();
      all.clear();
      idle.length = 0;
    },
  };
}

export function machineLine(): string {
  return `# ${cpus()[0]?.model ?? 'cpu'}, ${cpus().length} cores, node ${process.version}`;
}

/**
 * `twinbox serve` as a child process on `port` with its data in `dataDir`; stderr (warnings and
 * errors) goes to the benchmark's terminal.
 */
export function spawnServe(
  port: number,
  dataDir: string,
  options: { bodyLimitBytes?: number; logLevel?: string } = {},
): ChildProcess {
  const args = ['bin/twinbox.js', 'serve', '--port', String(port), '--data-dir', dataDir];
  if (options.bodyLimitBytes) args.push('--body-limit', String(options.bodyLimitBytes));
  return spawn(process.execPath, args, {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, TWINBOX_LOG_LEVEL: options.logLevel ?? 'warn' },
  });
}

/** Waits until the twinbox on `port` answers the NGSI-LD API; fails when `child` exits first. */
export async function waitServing(port: number, child?: ChildProcess, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null) throw new Error(`twinbox on port ${port} exited`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/ngsi-ld/v1/types`);
      await res.arrayBuffer();
      if (res.status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`twinbox on port ${port} did not start within ${timeoutMs / 1000} s`);
}
