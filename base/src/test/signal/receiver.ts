/*
 * test-signal: delivery, coalescing and many senders.
 *  1. a local handler gets a signal submitted once;
 *  2. three submits before the handler can run arrive as one delivery with count 3;
 *  3. sender components submit to a context they got over RPC; every submit is counted.
 */
import { Connection } from '../../lib/connection.js';
import type { Env } from '../../lib/env.js';
import { RootComponent, type SessionContext } from '../../lib/root_component.js';
import type { SignalHandler } from '../../lib/signal.js';
import { LogSession } from '../../session/log/session.js';
import { SignalTestSession } from './session.js';

export async function construct(env: Env): Promise<void> {
  const log = await Connection.open(env, LogSession);
  const say = (t: string) => log.session.write(t);

  /* 1 + 2: delivery, and coalescing while the handler is busy */
  const counts: number[] = [];
  let firstArrived!: () => void;
  let openGate!: () => void;
  let secondArrived!: () => void;
  const first = new Promise<void>((r) => (firstArrived = r));
  const gate = new Promise<void>((r) => (openGate = r));
  const second = new Promise<void>((r) => (secondArrived = r));
  const local = await env.signalHandler(async (count) => {
    counts.push(count);
    if (counts.length === 1) {
      firstArrived();
      await gate; // stay busy while three more submits arrive
    } else {
      secondArrived();
    }
  });
  await env.submit(local.cap);
  await first;
  await say(`single submit: ${counts.length} delivery, count ${counts[0]}`);
  for (let i = 0; i < 3; i++) await env.submit(local.cap);
  /* on a real-time kernel a submit may still be on its way when the call returns */
  await local.whenReceived(4);
  openGate();
  await second;
  await say(`three submits: ${counts.length - 1} delivery, count ${counts[1]}`);
  if (counts.length !== 2 || counts[0] !== 1 || counts[1] !== 3) await say('Error: submits did not coalesce');

  /* 3: many senders */
  const senders = 4;
  let total = 0;
  let reported = 0;
  let claimed = 0;
  let shared: SignalHandler | undefined;
  const check = async () => {
    if (reported === senders && total === claimed) {
      await say(`${senders} senders submitted ${claimed} signals, ${total} received in ${shared!.deliveries} deliveries`);
      await say('--- Signalling test finished ---');
      await env.exit(0);
    }
  };
  shared = await env.signalHandler((count) => {
    total += count;
    void check();
  });
  class Root extends RootComponent<SignalTestSession> {
    protected async createSession(_ctx: SessionContext): Promise<SignalTestSession> {
      return {
        context: async () => shared!.cap,
        done: async (n: number) => {
          reported++;
          claimed += n;
          void check();
        },
      };
    }
  }
  await new Root(env, SignalTestSession, 'Signal_test').announce();
}
