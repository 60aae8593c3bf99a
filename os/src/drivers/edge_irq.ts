/*
 * A device interrupt on an edge-triggered line (the PC's PIC): `service` handles the causes
 * the device reports and says whether there were any. A cause raised after the device's
 * status was read and before the ack gives no edge of its own, so after the ack the causes
 * are looked at again until none is left. A failing `service` is logged, never fatal.
 */
import type { Client, Env } from '../../../base/src/lib/env.js';
import type { SignalHandler } from '../../../base/src/lib/signal.js';
import type { IrqSession } from '../../../base/src/session/irq/session.js';
import { describeError, type Log } from '../lib/log.js';

export async function handleEdgeIrq(env: Env, irq: Client<IrqSession>, service: () => Promise<boolean>, log: Log): Promise<SignalHandler> {
  const serviced = async (): Promise<boolean> => {
    try {
      return await service();
    } catch (e) {
      await log(`Error: interrupt: ${describeError(e)}`);
      return false;
    }
  };
  const handler = await env.signalHandler(async () => {
    await serviced();
    await irq.ack();
    while (await serviced()) { /* causes that came meanwhile */ }
  });
  await irq.sigh(handler.cap);
  return handler;
}
