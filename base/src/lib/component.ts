/*
 * Component start-up (Genode's _main + Component::construct): obtain the environment
 * sessions from the parent, create the entrypoint and signal receiver, then run the
 * component's `construct(env)`.
 */
import { rpcClient } from '../rpc/client.js';
import { CpuSession } from '../session/cpu/session.js';
import { EnvSession, Parent } from '../session/parent/session.js';
import { PdSession } from '../session/pd/session.js';
import { RegionMap } from '../session/region_map/session.js';
import { Entrypoint } from './entrypoint.js';
import { Env } from './env.js';
import type { ComponentRuntime } from './runtime.js';
import { SignalReceiver } from './signal.js';

export type ConstructFunction = (env: Env) => void | Promise<void>;

/** What a component module exports. */
export interface ComponentModule {
  construct: ConstructFunction;
}

function describe(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}

export async function startComponent(runtime: ComponentRuntime, construct: ConstructFunction): Promise<Env> {
  const caller = runtime.caller;
  const parent = rpcClient(Parent, runtime.parent, caller);
  const pd = rpcClient(PdSession, (await parent.sessionCap(EnvSession.PD)) as never, caller);
  const cpu = rpcClient(CpuSession, (await parent.sessionCap(EnvSession.CPU)) as never, caller);
  const rm = rpcClient(RegionMap, await pd.addressSpace(), caller);

  let env: Env | undefined;
  const report = (e: unknown) => {
    /*
     * An uncaught error of a signal handler ends the component. Not through Parent.exit:
     * the component's caller may be blocked in a call that never returns. The error is
     * left unhandled instead, which the kernel takes for the component's fault: it halts
     * it and core tells the parent (on linux, core's crash containment does).
     */
    runtime.diag(`Error: uncaught ${describe(e)} in a signal handler`);
    void Promise.reject(e);
  };

  const epThread = await runtime.startEntrypoint(cpu, pd.cap, (key, msg, done) => ep.handle(key, msg, done));
  const ep: Entrypoint = new Entrypoint({
    alloc: async () => {
      const cap = await pd.allocRpcCap(epThread.thread);
      return { cap, key: await epThread.activate(cap) };
    },
    free: async (cap) => {
      await pd.freeRpcCap(cap);
      runtime.release(cap);
    },
    release: (cap) => runtime.release(cap),
  }, (what, e) => runtime.diag(`Warning: ${what} raised an undeclared ${describe(e)}; the caller got an error`));

  const signals = new SignalReceiver(report);
  const source = await pd.allocSignalSource();
  await runtime.startSignalReceiver(cpu, pd.cap, source, signals.deliver);

  env = new Env(runtime, parent, pd, cpu, rm, ep, signals, EnvSession.FIRST_FREE);
  env.signalSource = source as never;
  const e = env;
  const responses = await env.signalHandler(() => e.sessionResponseArrived());
  await parent.sessionSigh(responses.cap);
  /* heartbeat requests of the parent are answered by the entrypoint, as long as it is not stuck */
  const heartbeat = await env.signalHandler(() => parent.heartbeatResponse());
  await parent.heartbeatSigh(heartbeat.cap);

  try {
    await construct(env);
  } catch (err) {
    /* an uncaught error ends the component, as an uncaught C++ exception would */
    runtime.diag(`Error: uncaught ${describe(err)}`);
    await env.exit(-1).catch(() => {});
  }
  return env;
}
