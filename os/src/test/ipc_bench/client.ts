/*
 * ipc_bench: the same benchmark on every kernel. For each operation it warms up (so that
 * the host's JIT has optimized the path: the host time of cold code measures V8, not the
 * IPC path), then runs N iterations between two LOG markers ("bench <op> start N" /
 * "bench <op> done N"); the harness reads the kernel's TSC, its operation counts and host
 * time at the markers, so the component itself reads no clock and its output stays
 * deterministic.
 */
import { MessageOverflow } from '../../../../base/src/errors.js';
import { AttachedRomDataspace } from '../../../../base/src/lib/attached_dataspace.js';
import { Connection } from '../../../../base/src/lib/connection.js';
import type { Env } from '../../../../base/src/lib/env.js';
import { LogSession } from '../../../../base/src/session/log/session.js';
import { XmlNode } from '../../../../base/src/util/xml_node.js';
import { IpcBenchSession } from './session.js';

const BULK = 1024 * 1024;

export async function construct(env: Env): Promise<void> {
  const config = XmlNode.parse((await AttachedRomDataspace.open(env, 'config')).text(), 'config of ipc_bench');
  const n = config.numberAttr('iterations', 1000);
  const warmup = config.numberAttr('warmup', 100);
  const log = await Connection.open(env, LogSession);
  const say = (t: string) => log.session.write(t);
  const bench = (await Connection.open(env, IpcBenchSession, { ramQuota: 64 * 1024 })).session;

  const run = async (op: string, iterations: number, body: () => Promise<unknown>, warm = warmup) => {
    try {
      for (let i = 0; i < warm; i++) await body();
    } catch (e) {
      if (!(e instanceof MessageOverflow)) throw e;
      await say(`bench ${op} unsupported: ${e.message}`);
      return;
    }
    await say(`bench ${op} start ${iterations}`);
    for (let i = 0; i < iterations; i++) await body();
    await say(`bench ${op} done ${iterations}`);
  };

  await run('null', n, () => bench.nullCall());
  for (const size of [8, 64, 512, 3000]) {
    const data = new Uint8Array(size).fill(7);
    await run(`payload${size}`, n, () => bench.payload(data));
  }
  const cb = await env.ep.manage(IpcBenchSession, {});
  await run('cap', n, () => bench.passCap(cb));

  /* signal round trip: submit to the server, which submits back */
  let wake: () => void = () => {};
  const pong = await env.signalHandler(() => wake());
  const ping = await bench.signals(pong.cap);
  await run('signal', n, () => {
    const back = new Promise<void>((r) => (wake = r));
    return env.submit(ping).then(() => back);
  });

  /* bulk: 1 MiB through a shared dataspace, announced by an RPC */
  const ds = await env.pd.alloc(BULK);
  const at = await env.attach(ds);
  const buf = env.view(at, BULK);
  await bench.shareBuffer(ds);
  let round = 0;
  /* a bulk round moves a MiB: a hundredth of the rounds, and of the warm-up */
  const bulkIterations = Math.max(1, Math.floor(n / 100));
  await run('bulk1M', bulkIterations, async () => {
    buf.fill(++round & 0xff);
    const sum = await bench.consume(BULK);
    if (sum !== ((round & 0xff) * BULK) >>> 0) throw new Error(`bulk checksum ${sum} is wrong`);
  }, Math.max(1, Math.floor(warmup / 100)));
  await say('--- ipc_bench finished ---');
  await env.exit(0);
}
