/*
 * test-rpc_bench_client: warms up, then makes a series of null RPCs between two LOG lines.
 * The component reads no clock; the harness times the lines (tool/bench). The warm-up is
 * for the host's JIT: a freshly booted component's code runs about eight times slower for
 * its first 20 000 calls or so, until V8 has optimized it (tool/bench asks for more).
 */
import { Connection } from '../../lib/connection.js';
import type { Env } from '../../lib/env.js';
import { AttachedRomDataspace } from '../../lib/attached_dataspace.js';
import { LogSession } from '../../session/log/session.js';
import { XmlNode } from '../../util/xml_node.js';
import { BenchSession } from './session.js';

export async function construct(env: Env): Promise<void> {
  const config = XmlNode.parse((await AttachedRomDataspace.open(env, 'config')).text(), 'config of test-rpc_bench_client');
  const calls = config.numberAttr('calls', 10_000);
  const warmup = config.numberAttr('warmup', 1000);
  const log = await Connection.open(env, LogSession);
  const bench = (await Connection.open(env, BenchSession)).session;
  for (let i = 0; i < warmup; i++) await bench.nullCall();
  await log.session.write(`null RPC: start ${calls} calls`);
  for (let i = 0; i < calls; i++) await bench.nullCall();
  await log.session.write(`null RPC: done ${calls} calls`);
  await env.exit(0);
}
