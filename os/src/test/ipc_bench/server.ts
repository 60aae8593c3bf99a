/* ipc_bench_server: the receiving side of every benchmark operation. */
import type { Capability } from '../../../../base/src/capability.js';
import type { Env } from '../../../../base/src/lib/env.js';
import { RootComponent, type SessionContext } from '../../../../base/src/lib/root_component.js';
import type { Server } from '../../../../base/src/rpc/interface.js';
import type { Dataspace } from '../../../../base/src/session/dataspace/session.js';
import type { SignalContext } from '../../../../base/src/session/signal/session.js';
import { IpcBenchSession } from './session.js';

class BenchRoot extends RootComponent<IpcBenchSession> {
  protected async createSession(_ctx: SessionContext): Promise<Server<IpcBenchSession>> {
    const env = this.env;
    let buffer: Uint8Array | undefined;
    return {
      /* answered right away: the benchmark measures the IPC path, not a server's promise */
      nullCall: () => {},
      payload: (data: Uint8Array) => data.length,
      passCap: (c: Capability<unknown>) => {
        if (!c.valid) throw new Error('passCap got an invalid capability');
      },
      signals: async (pong: Capability<SignalContext>) => {
        const ping = await env.signalHandler((count) => env.submit(pong, count));
        return ping.cap;
      },
      shareBuffer: async (ds: Capability<Dataspace>) => {
        const size = await env.pd.dataspaceSize(ds);
        const at = await env.attach(ds, { writeable: false });
        buffer = env.view(at, size);
      },
      consume: (size: number) => {
        const b = buffer!;
        let sum = 0;
        const n = Math.min(size, b.length);
        for (let i = 0; i < n; i++) sum = (sum + b[i]!) >>> 0;
        return sum;
      },
    };
  }
}

export async function construct(env: Env): Promise<void> {
  await new BenchRoot(env, IpcBenchSession, 'Ipc_bench').announce();
}
