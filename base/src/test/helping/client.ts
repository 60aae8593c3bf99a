/*
 * test-helping_client: calls the Helping service through a thread of its own and reports
 * the thread's execution time as its kernel accounts it (Cpu_thread.executionTime).
 *
 *   <config name="low" units="2000000" min_calls="3"/>
 *     calls `work` again and again (at least min_calls times) until a watching client's
 *     call was served; reports each call's execution time.
 *   <config name="high" units="2000000" watch="yes"/>
 *     waits until the server starts a call (of the other client), then calls `work`
 *     while the server is busy, and reports that call's execution time.
 *
 * On NOVA a call's server work runs on the caller's scheduling context: an uncontended
 * call's time includes the work done for it, the high-priority call that found the server
 * busy includes the rest of the call it helped, and that call's time lacks it. Where the kernel runs servers on their own
 * threads (Fiasco.OC, OKL4) the client's time is its own work only; linux reports none.
 */
import { Connection } from '../../lib/connection.js';
import type { Env } from '../../lib/env.js';
import { AttachedRomDataspace } from '../../lib/attached_dataspace.js';
import { Thread } from '../../lib/thread.js';
import { CpuThread } from '../../session/cpu_thread/session.js';
import { LogSession } from '../../session/log/session.js';
import { XmlNode } from '../../util/xml_node.js';
import { HelpingSession } from './session.js';

export async function construct(env: Env): Promise<void> {
  const config = XmlNode.parse((await AttachedRomDataspace.open(env, 'config')).text(), 'config of test-helping_client');
  const name = config.attr('name', 'client');
  const units = config.numberAttr('units');
  const watch = config.attr('watch', 'no') === 'yes';
  const minCalls = config.hasAttr('min_calls') ? config.numberAttr('min_calls') : 1;
  const maxCalls = 1000;
  const log = await Connection.open(env, LogSession);
  const say = (t: string) => log.session.write(`${name}: ${t}`);
  const helping = await Connection.open(env, HelpingSession);

  let started!: () => void;
  const serverBusy = new Promise<void>((r) => (started = r));
  const handler = await env.signalHandler(() => started());

  const thread: Thread<void> = new Thread(env, name, async (t) => {
    const server = t.client(helping);
    const cpuThread = t.rpc(CpuThread, thread.cap);
    const time = () => cpuThread.executionTime();
    const us = (v: number) => (v < 0 ? 'not reported' : `${v} us`);
    if (watch) {
      await server.watch(handler.cap);
      await serverBusy;
      const t0 = await time();
      await server.work(units);
      const t1 = await time();
      await say('the call that found the server busy returned');
      await say(`execution time of that call: ${us(t0 < 0 ? -1 : t1 - t0)}`);
      return;
    }
    const times: number[] = [];
    let watched = 0;
    while (times.length < minCalls || watched === 0) {
      if (times.length === maxCalls) throw new Error(`${maxCalls} calls and no watching client was served`);
      const t0 = await time();
      watched = await server.work(units);
      const t1 = await time();
      times.push(t0 < 0 ? -1 : t1 - t0);
    }
    await say(`${times.length} calls done, a watching client's call was served meanwhile`);
    await say(`execution time of each call: ${times[0]! < 0 ? 'not reported' : `${times.join(', ')} us`}`);
  });
  await thread.start();
  await thread.join();
  await env.exit(0);
}
