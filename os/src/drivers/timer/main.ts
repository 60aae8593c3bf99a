/*
 * timer: the PIT-based timer driver. It gets channel 0's ports (0x40-0x43) and IRQ 0 from
 * core through sessions routed by init, and serves any number of Timer sessions from them.
 * Where the component runs on the PC's CPU it keeps time from the TSC (tsc_pit.ts), so the
 * PIT interrupts only for pending timeouts; elsewhere it counts the PIT's ticks.
 */
import { Connection } from '../../../../base/src/lib/connection.js';
import type { Env } from '../../../../base/src/lib/env.js';
import { IoPortSession } from '../../../../base/src/session/io_port/session.js';
import { IrqSession } from '../../../../base/src/session/irq/session.js';
import { describeError, openLog } from '../../lib/log.js';
import { TimerDriver } from './driver.js';
import { PIT_IRQ, PIT_PORT_BASE, PIT_PORT_COUNT, PitTimer } from './pit.js';
import { TimerRoot } from './root.js';
import { TscPitTimer } from './tsc_pit.js';

export async function construct(env: Env): Promise<void> {
  const log = await openLog(env);
  let ports: Connection<IoPortSession>;
  let irq: Connection<IrqSession>;
  try {
    ports = await Connection.open(env, IoPortSession, { label: 'PIT', args: { io_port_base: PIT_PORT_BASE, io_port_size: PIT_PORT_COUNT } });
    irq = await Connection.open(env, IrqSession, { label: 'PIT', args: { irq: PIT_IRQ } });
  } catch (e) {
    await log(`Error: no access to the PIT: ${describeError(e)}`);
    await env.exit(1);
    return;
  }
  const pit = new PitTimer(ports.session);
  const tsc = env.runtime.tsc;
  const driver = new TimerDriver(tsc ? new TscPitTimer(pit, tsc) : pit, (sigh) => void env.submit(sigh));
  const handler = await env.signalHandler(async () => {
    await driver.interrupt();
    await irq.session.ack();
  });
  await irq.session.sigh(handler.cap);
  await driver.start();
  await new TimerRoot(env, driver).announce();
}
