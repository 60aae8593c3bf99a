/*
 * ps2_drv: the PS/2 keyboard and mouse behind the i8042. It gets the controller's two
 * ports and IRQs 1 and 12 from core through sessions routed by init, sets the devices up
 * and serves their key, button, motion and wheel events as an Input service.
 */
import { Connection } from '../../../../base/src/lib/connection.js';
import type { Env } from '../../../../base/src/lib/env.js';
import { IoPortSession } from '../../../../base/src/session/io_port/session.js';
import { IrqSession } from '../../../../base/src/session/irq/session.js';
import { Mutex } from '../../../../base/src/util/mutex.js';
import { InputRoot } from '../../lib/input_root.js';
import { describeError, openLog } from '../../lib/log.js';
import type { InputEvent } from '../../session/input/event.js';
import { I8042, I8042_DATA_PORT, I8042_STATUS_PORT, KEYBOARD_IRQ, MOUSE_IRQ } from './i8042.js';
import { MousePacketDecoder } from './mouse_packets.js';
import { ScanCodeDecoder } from './scan_codes.js';

export async function construct(env: Env): Promise<void> {
  const log = await openLog(env);
  const port = (label: string, base: number) => Connection.open(env, IoPortSession, { label, args: { io_port_base: base, io_port_size: 1 } });
  const irq = (label: string, line: number) => Connection.open(env, IrqSession, { label, args: { irq: line } });
  let controller: I8042;
  let irqs: Array<Connection<IrqSession>>;
  try {
    controller = new I8042((await port('i8042 data', I8042_DATA_PORT)).session, (await port('i8042 status', I8042_STATUS_PORT)).session);
    irqs = [await irq('keyboard', KEYBOARD_IRQ), await irq('mouse', MOUSE_IRQ)];
  } catch (e) {
    await log(`Error: no access to the i8042: ${describeError(e)}`);
    await env.exit(1);
    return;
  }

  let devices;
  try {
    devices = await controller.init();
  } catch (e) {
    await log(`Error: ${describeError(e)}`);
    await env.exit(1);
    return;
  }
  const keyboard = new ScanCodeDecoder();
  const mouse = new MousePacketDecoder(devices.wheel);
  const input = new InputRoot(env);

  /* both interrupts read the one output buffer, so one drain at a time */
  const lock = new Mutex();
  for (const c of irqs) {
    const handler = await env.signalHandler(async () => {
      const events: InputEvent[] = [];
      await lock.guard(() => controller.drain((b) => events.push(...keyboard.feed(b)), (b) => events.push(...mouse.feed(b))));
      input.submit(events);
      await c.session.ack();
    });
    await c.session.sigh(handler.cap);
  }
  const found = [devices.keyboard && 'keyboard', devices.mouse && `mouse${devices.wheel ? ' with wheel' : ''}`].filter(Boolean);
  await log(`i8042: ${found.length ? found.join(', ') : 'no devices'}`);
  await input.announce();
}
