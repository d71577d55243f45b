/**
 * The load generator's HTTP client for the benchmarks: keep-alive sockets, raw node:http (a
 * fetch per request costs more than some of the operations it measures), and the machine line
 * every benchmark prints.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import http from 'node:http';
import { cpus } from 'node:os';

export interface HttpClient {
  request(method: string, path: string, body?: unknown): Promise<{ status: number; body: string }>;
  close(): void;
}

export function httpClient(port: number, maxSockets: number): HttpClient {
  const agent = new http.Agent({ keepAlive: true, maxSockets });
  return {
    request(method, path, body) {
      return new Promise((resolve, reject) => {
        const data = body === undefined ? undefined : JSON.stringify(body);
        const req = http.request(
          {
            host: '127.0.0.1',
            port,
            method,
            path,
            agent,
            headers: data
              ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) }
              : {},
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c) => chunks.push(c));
            res.on('end', () =>
              resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }),
            );
          },
        );
        req.on('error', reject);
        if (data) req.write(data);
        req.end();
      });
    },
    close: () => agent.destroy(),
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
