/* test-signal_sender: submits signals to the receiver's context, then reports how many. */
import { Connection } from '../../lib/connection.js';
import type { Env } from '../../lib/env.js';
import { SignalTestSession } from './session.js';

const SUBMITS = 25;

export async function construct(env: Env): Promise<void> {
  const test = (await Connection.open(env, SignalTestSession)).session;
  const ctx = await test.context();
  for (let i = 0; i < SUBMITS; i++) await env.submit(ctx);
  await test.done(SUBMITS);
}
