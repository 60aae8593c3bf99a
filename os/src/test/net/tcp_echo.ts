/*
 * test-tcp_echo: TCP between two components.
 *   <config address="10.0.2.2" role="server" port="7"/>
 *     accepts connections and echoes every byte until the client closes, then closes.
 *   <config address="10.0.2.2" role="sink" port="9"/>
 *     accepts connections and reads until the client closes, then closes (for benchmarks).
 *   <config address="10.0.2.1" role="client" server="10.0.2.2" port="7" bytes="1048576" delay_ms="0"/>
 *     sends `bytes` of a pseudo-random pattern while reading the echo, verifies every
 *     byte, closes, and checks that a closed port refuses a connection; `delay_ms` waits
 *     (Timer session time) before connecting.
 */
import { AttachedRomDataspace } from '../../../../base/src/lib/attached_dataspace.js';
import type { Env } from '../../../../base/src/lib/env.js';
import { XmlNode } from '../../../../base/src/util/xml_node.js';
import { describeError, openLog } from '../../lib/log.js';
import type { TcpSocket } from '../../lib/net/socket.js';
import { openStack } from './stack_setup.js';

const CHUNK = 16 * 1024;

function patternByte(i: number): number {
  return (Math.imul(i, 2654435761) >>> 24) ^ (i & 0xff);
}

async function echo(s: TcpSocket, sink: boolean): Promise<number> {
  let n = 0;
  for (;;) {
    const d = await s.read(sink ? 65536 : CHUNK);
    if (d.length === 0) break;
    n += d.length;
    if (!sink) await s.write(d);
  }
  await s.close();
  return n;
}

export async function construct(env: Env): Promise<void> {
  const log = await openLog(env);
  try {
    const c = XmlNode.parse((await AttachedRomDataspace.open(env, 'config')).text(), 'config');
    const stack = await openStack(env, c, log);
    const port = c.numberAttr('port', 7, 65535);
    const role = c.attr('role', 'server');
    if (role === 'server' || role === 'sink') {
      const sink = role === 'sink';
      const l = stack.listen(port);
      await log(`${sink ? 'sink' : 'echo server'} listening on port ${port}`);
      for (;;) {
        const s = await l.accept();
        void echo(s, sink).then(
          (n) => log(`connection from ${s.remote.address} closed after ${n} bytes ${sink ? 'received' : 'echoed'}`),
          (e: unknown) => log(`Error: connection from ${s.remote.address}: ${describeError(e)}`));
      }
    }
    const server = c.attr('server');
    const bytes = c.numberAttr('bytes', 1 << 20, 1 << 30);
    const delay = c.numberAttr('delay_ms', 0, 600_000);
    if (delay > 0) await new Promise<void>((r) => stack.clock.after(delay, r));
    let s: TcpSocket | undefined;
    for (let attempt = 0; !s; attempt++) {
      try {
        s = await stack.connect({ address: server, port });
      } catch (e) {
        if (attempt >= 5) throw e;
      }
    }
    await log(`connected to ${server}:${port}`);
    const sock = s;
    const writer = (async () => {
      const chunk = new Uint8Array(CHUNK);
      for (let off = 0; off < bytes; off += CHUNK) {
        const n = Math.min(CHUNK, bytes - off);
        for (let i = 0; i < n; i++) chunk[i] = patternByte(off + i);
        await sock.write(chunk.subarray(0, n));
      }
      await sock.shutdown();
    })();
    let got = 0;
    let mismatch: string | undefined;
    for (;;) {
      const d = await sock.read(CHUNK);
      if (d.length === 0) break;
      for (let i = 0; i < d.length && !mismatch; i++) {
        if (d[i] !== patternByte(got + i)) mismatch = `byte ${got + i} is ${d[i]}, expected ${patternByte(got + i)}`;
      }
      got += d.length;
    }
    await writer;
    await sock.close();
    if (mismatch) throw new Error(`echo differs: ${mismatch}`);
    if (got !== bytes) throw new Error(`echo of ${got} bytes, sent ${bytes}`);
    await log(`${bytes} bytes echoed and verified`);
    const refused = await stack.connect({ address: server, port: port + 1 }).then(() => 'Error: connected', (e: unknown) => describeError(e));
    await log(`connect to closed port ${port + 1}: ${refused}`);
    await env.exit(0);
  } catch (e) {
    await log(`Error: ${describeError(e)}`);
    await env.exit(1);
  }
}
