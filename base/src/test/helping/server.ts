/*
 * test-helping_server: the Helping service. Each `work` call computes before it answers,
 * on the entrypoint that serves one call at a time; a call arriving meanwhile finds the
 * entrypoint busy (on NOVA its caller helps: the rest of the work runs on the caller's
 * scheduling context).
 */
import type { Capability } from '../../capability.js';
import { Connection } from '../../lib/connection.js';
import type { Env } from '../../lib/env.js';
import { RootComponent, type SessionContext } from '../../lib/root_component.js';
import { LogSession } from '../../session/log/session.js';
import type { SignalContext } from '../../session/signal/session.js';
import { HelpingSession } from './session.js';

export async function construct(env: Env): Promise<void> {
  const log = await Connection.open(env, LogSession);
  let watcher: Capability<SignalContext> | undefined;
  /* calls of sessions that watch, completed */
  let watchedDone = 0;
  let done = 0;
  let x = 1;
  const use = (v: number) => v & 0;

  class Root extends RootComponent<HelpingSession> {
    protected async createSession(_ctx: SessionContext): Promise<HelpingSession> {
      let watching = false;
      return {
        watch: async (w: Capability<SignalContext>) => {
          env.ep.release(watcher);
          watcher = w;
          watching = true;
        },
        work: async (units: number) => {
          /* not one of the first two calls: the watcher may have helped the first, the second shows an uncontended call */
          if (watcher && done >= 2) {
            const w = watcher;
            watcher = undefined;
            await env.submit(w);
          }
          if (!Number.isSafeInteger(units) || units < 0 || units > 100_000_000) units = 0;
          for (let i = 0; i < units; i++) x = (Math.imul(x, 31) + i) | 0;
          done++;
          const before = watchedDone;
          if (watching) watchedDone++;
          return before + use(x);
        },
      };
    }
  }
  await log.session.write('announcing the Helping service');
  await new Root(env, HelpingSession, 'Helping').announce();
}
