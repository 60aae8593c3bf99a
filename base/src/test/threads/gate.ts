/*
 * test-threads_gate: the Gate service. A `pass` is answered only when a signal to the
 * opener arrives (on the signal thread), so its caller stays blocked meanwhile; and so
 * does this server's entrypoint, which serves one call at a time, as in Genode.
 */
import type { Capability } from '../../capability.js';
import { Connection } from '../../lib/connection.js';
import type { Env } from '../../lib/env.js';
import { RootComponent, type SessionContext } from '../../lib/root_component.js';
import { LogSession } from '../../session/log/session.js';
import type { SignalContext } from '../../session/signal/session.js';
import { GateSession } from './session.js';

export async function construct(env: Env): Promise<void> {
  const log = await Connection.open(env, LogSession);
  const say = (t: string) => log.session.write(t);
  const waiting: Array<() => void> = [];
  let banked = 0;
  let opened = 0;
  const opener = await env.signalHandler((count) => {
    opened += count;
    banked += count;
    while (banked > 0 && waiting.length > 0) {
      banked--;
      waiting.shift()!();
    }
  });
  let watcher: Capability<SignalContext> | undefined;

  class Root extends RootComponent<GateSession> {
    protected async createSession(_ctx: SessionContext): Promise<GateSession> {
      return {
        opener: async () => opener.cap,
        watch: async (w: Capability<SignalContext>) => {
          env.ep.release(watcher);
          watcher = w;
        },
        pass: async (who: string) => {
          await say(`${who} waits at the gate`);
          if (watcher) await env.submit(watcher);
          if (banked > 0) banked--;
          else await new Promise<void>((r) => waiting.push(r));
          await say(`${who} passes`);
          return opened;
        },
        echo: async (n: number) => n + 1,
      };
    }
  }
  await new Root(env, GateSession, 'Gate').announce();
}
