/** Raw HTTP for the serve tests: node:http, so Host and Origin can be anything (fetch fixes Host). */
import { request } from 'node:http';

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  text: string;
}

export function http(
  base: string,
  path: string,
  opts: { method?: string; headers?: Record<string, string>; body?: Uint8Array | string; chunked?: boolean } = {},
): Promise<Reply> {
  const u = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request(
      // The path as given, not normalised, so `..` reaches the server.
      { host: u.hostname, port: u.port, path, method: opts.method ?? 'GET', headers: opts.headers ?? {} },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const body = Buffer.concat(chunks);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, text: body.toString('utf8') });
        });
        res.on('error', reject);
      },
    );
    // The server may answer 413 and close before the whole body is sent: the reply is what counts.
    req.on('error', (e: NodeJS.ErrnoException) => (e.code === 'EPIPE' || e.code === 'ECONNRESET' ? undefined : reject(e)));
    if (opts.body !== undefined) {
      if (opts.chunked) {
        const b = typeof opts.body === 'string' ? Buffer.from(opts.body) : Buffer.from(opts.body);
        for (let i = 0; i < b.length; i += 4096) req.write(b.subarray(i, i + 4096));
      } else req.write(opts.body);
    }
    req.end();
  });
}

/** The headers the page's own fetch sends for an upload. */
export function uploadHeaders(base: string, name: string, extra: Record<string, string> = {}): Record<string, string> {
  const u = new URL(base);
  return { host: u.host, origin: `http://${u.host}`, 'content-type': 'application/octet-stream', 'x-file-name': encodeURIComponent(name), ...extra };
}
