/*
 * test-net_bench: network throughput for npm run bench (tool/bench/net.ts reads the LOG
 * markers "bench <op> start <bytes>" / "bench <op> done <bytes>").
 *   nic-1514: 1514-byte frames through a NIC session to nic_loopback and back (up to 32 in
 *             flight): the packet streams beneath the stack.
 *   tcp:      `bytes` over one TCP connection through nic_bridge to a sink component, from
 *             the first write until the sink's FIN arrived (everything received).
 *   <config address="10.0.2.1" sink="10.0.2.2" port="9" frames="2000" bytes="4194304"/>
 */
import { AttachedRomDataspace } from '../../../../base/src/lib/attached_dataspace.js';
import type { Env } from '../../../../base/src/lib/env.js';
import { XmlNode } from '../../../../base/src/util/xml_node.js';
import { describeError, openLog } from '../../lib/log.js';
import { NicLink } from '../../session/nic/nic_link.js';
import { openStack } from './stack_setup.js';

const FRAME = 1514;
const WINDOW = 32;

async function nicRaw(link: NicLink, frames: number): Promise<void> {
  let back = 0;
  let wake: (() => void) | undefined;
  link.onFrame(() => { back++; wake?.(); });
  const frame = new Uint8Array(FRAME);
  frame.set(link.mac, 0);
  frame.set(link.mac, 6);
  frame[12] = 0x88; frame[13] = 0xb5; // local experimental EtherType
  for (let sent = 0; sent < frames; sent++) {
    while (sent - back >= WINDOW) await new Promise<void>((r) => { wake = r; });
    if (!(await link.send(frame))) throw new Error(`frame ${sent} dropped`);
  }
  while (back < frames) await new Promise<void>((r) => { wake = r; });
}

export async function construct(env: Env): Promise<void> {
  const log = await openLog(env);
  try {
    const c = XmlNode.parse((await AttachedRomDataspace.open(env, 'config')).text(), 'config');
    const frames = c.numberAttr('frames', 2000, 1_000_000);
    const bytes = c.numberAttr('bytes', 4 << 20, 1 << 30);
    const raw = await NicLink.open(env, { label: 'raw' });
    await nicRaw(raw, 64); // warm-up
    await log(`bench nic-1514 start ${frames * FRAME}`);
    await nicRaw(raw, frames);
    await log(`bench nic-1514 done ${frames * FRAME}`);

    const stack = await openStack(env, c, log);
    const s = await stack.connect({ address: c.attr('sink'), port: c.numberAttr('port', 9, 65535) });
    const chunk = new Uint8Array(64 * 1024).map((_, i) => i & 0xff);
    await log(`bench tcp start ${bytes}`);
    for (let off = 0; off < bytes; off += chunk.length) await s.write(chunk.subarray(0, Math.min(chunk.length, bytes - off)));
    await s.shutdown();
    const eof = await s.read();
    await log(`bench tcp done ${bytes}`);
    if (eof.length !== 0) throw new Error('the sink sent data');
    await s.close();
    await log('--- net_bench finished ---');
    await env.exit(0);
  } catch (e) {
    await log(`Error: ${describeError(e)}`);
    await env.exit(1);
  }
}
