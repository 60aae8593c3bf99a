/*
 * The host's end of npm run bench's host TCP rows, run by tool/bench/net_host.ts inside the
 * TAP namespace (`ip netns exec`): the host's own TCP stack against net_host_bench's
 * components. Prints one JSON line: { send: { bytes, ns }, receive: { bytes, ns } }.
 *   send:    `bytes` to the sink (10.0.2.16:9), from connect until the sink's FIN after it
 *            read everything
 *   receive: GET /big.bin (1 MiB) from http_server (10.0.2.15:80), one connection after the
 *            other until at least `bytes` came, each from connect until the server's FIN;
 *            every body must match the served file byte for byte
 * Each is preceded by a small warm-up exchange (ARP, first connection), and a final
 * GET /done tells the scenario to end.
 *   node host_tcp_client.js <bytes>
 */
import net from 'node:net';
import { BENCH_ADDRESSES, BENCH_FILE, SINK_PORT } from '../../os/run/net_host_bench.js';

interface Span { bytes: number; ns: number }

function send(bytes: number): Promise<Span> {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const s = net.connect({ host: BENCH_ADDRESSES.sink, port: SINK_PORT }, () => {
      const chunk = Buffer.alloc(64 * 1024, 0x5a);
      let left = bytes;
      const pump = (): void => {
        while (left > 0) {
          const n = Math.min(left, chunk.length);
          left -= n;
          if (!s.write(chunk.subarray(0, n))) return void s.once('drain', pump);
        }
        s.end();
      };
      pump();
    });
    s.on('data', () => reject(new Error('the sink sent data')));
    s.on('error', reject);
    s.on('close', (hadError) => {
      if (!hadError) resolve({ bytes, ns: Number(process.hrtime.bigint() - start) });
    });
    s.setTimeout(120_000, () => s.destroy(new Error('send: no progress for 120 s')));
  });
}

function get(path: string): Promise<{ status: number; body: Buffer; ns: number }> {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const parts: Buffer[] = [];
    const s = net.connect({ host: BENCH_ADDRESSES.http, port: 80 }, () => {
      s.write(`GET ${path} HTTP/1.1\r\nHost: ${BENCH_ADDRESSES.http}\r\nConnection: close\r\n\r\n`);
    });
    s.on('data', (d: Buffer) => parts.push(d));
    s.on('error', reject);
    s.on('end', () => {
      const ns = Number(process.hrtime.bigint() - start);
      const all = Buffer.concat(parts);
      const head = all.indexOf('\r\n\r\n');
      if (head < 0) return reject(new Error(`GET ${path}: no HTTP header in ${all.length} bytes`));
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(all.subarray(0, head).toString('latin1'))?.[1] ?? 0);
      resolve({ status, body: all.subarray(head + 4), ns });
      s.end();
    });
    s.setTimeout(120_000, () => s.destroy(new Error(`GET ${path}: no progress for 120 s`)));
  });
}

async function main(): Promise<void> {
  const bytes = Number(process.argv[2]);
  if (!Number.isInteger(bytes) || bytes < 1) throw new Error(`usage: host_tcp_client <bytes> (got ${process.argv[2]})`);
  await send(4096);
  const sent = await send(bytes);
  await get('/nope');
  const received = { bytes: 0, ns: 0 };
  while (received.bytes < bytes) {
    const got = await get('/big.bin');
    if (got.status !== 200) throw new Error(`GET /big.bin: status ${got.status}`);
    if (Buffer.compare(got.body, Buffer.from(BENCH_FILE)) !== 0) throw new Error(`GET /big.bin: ${got.body.length} bytes that differ from the served file`);
    received.bytes += got.body.length;
    received.ns += got.ns;
  }
  /* the scenario ends at the server's log line: the answer may not get out any more */
  await Promise.race([get('/done').catch(() => undefined), new Promise((r) => setTimeout(r, 10_000))]);
  process.stdout.write(`${JSON.stringify({ send: sent, receive: received })}\n`);
  process.exit(0);
}

main().catch((e: unknown) => {
  process.stderr.write(`host_tcp_client: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
