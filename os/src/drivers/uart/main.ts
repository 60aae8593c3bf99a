/*
 * uart_drv: a 16550 UART as a Terminal service, one session at a time. Its ports and
 * interrupt come from core through sessions routed by init:
 *   <config uart="0" baud="115200"/>   uart 0 = COM1 (0x3F8, IRQ 4), 1 = COM2 (0x2F8, IRQ 3)
 * Bytes that arrive while no session is open wait for the next one (up to the same bound).
 */
import { ServiceDenied } from '../../../../base/src/errors.js';
import { AttachedRomDataspace } from '../../../../base/src/lib/attached_dataspace.js';
import { Connection } from '../../../../base/src/lib/connection.js';
import type { Env } from '../../../../base/src/lib/env.js';
import { RootComponent, type SessionContext } from '../../../../base/src/lib/root_component.js';
import { IoPortSession } from '../../../../base/src/session/io_port/session.js';
import { IrqSession } from '../../../../base/src/session/irq/session.js';
import { Mutex } from '../../../../base/src/util/mutex.js';
import { XmlNode } from '../../../../base/src/util/xml_node.js';
import { describeError, openLog } from '../../lib/log.js';
import { SessionDataspace } from '../../lib/session_dataspace.js';
import { TerminalSession } from '../../session/terminal/session.js';
import { Ns16550, UART_PORT_COUNT } from './ns16550.js';
import { RX_BUFFER_BYTES, TerminalSessionComponent } from './terminal_component.js';

const UARTS = [{ base: 0x3f8, irq: 4 }, { base: 0x2f8, irq: 3 }];

class TerminalRoot extends RootComponent<TerminalSession> {
  private current: TerminalSessionComponent | undefined;
  private label = '';
  /** Received while no session was open. */
  private early: number[] = [];

  constructor(env: Env, private readonly send: (bytes: Uint8Array) => Promise<void>) {
    super(env, TerminalSession, TerminalSession.service);
  }

  received(bytes: number[]): void {
    if (this.current) this.current.received(bytes);
    else this.early.push(...bytes.slice(0, RX_BUFFER_BYTES - this.early.length));
  }

  protected async createSession(ctx: SessionContext): Promise<TerminalSession> {
    if (this.current) throw new ServiceDenied(`the UART is in use by "${this.label}"`);
    const s = new TerminalSessionComponent(this.env, await SessionDataspace.create(this.env, ctx.quota, TerminalSession.IO_BUFFER_BYTES), this.send);
    s.received(this.early.splice(0));
    this.current = s;
    this.label = ctx.label;
    return s;
  }

  protected override async destroySession(session: TerminalSession): Promise<void> {
    if (session === this.current) this.current = undefined;
    (session as TerminalSessionComponent).drop();
    await (session as TerminalSessionComponent).io.destroy();
  }
}

export async function construct(env: Env): Promise<void> {
  const log = await openLog(env);
  const fail = async (what: string, e: unknown) => {
    await log(`Error: ${what}: ${describeError(e)}`);
    await env.exit(1);
  };
  let uart: { base: number; irq: number };
  let baud: number;
  try {
    const config = XmlNode.parse((await AttachedRomDataspace.open(env, 'config')).text(), 'config of uart_drv');
    const index = config.numberAttr('uart', 0);
    if (!UARTS[index]) throw config.error(`uart="${index}" names no UART (0 = COM1, 1 = COM2)`);
    uart = UARTS[index]!;
    baud = config.numberAttr('baud', 115200);
    Ns16550.divisor(baud);
  } catch (e) {
    return fail('bad config', e);
  }

  let ports: Connection<IoPortSession>;
  let irq: Connection<IrqSession>;
  try {
    ports = await Connection.open(env, IoPortSession, { label: 'UART', args: { io_port_base: uart.base, io_port_size: UART_PORT_COUNT } });
    irq = await Connection.open(env, IrqSession, { label: 'UART', args: { irq: uart.irq } });
  } catch (e) {
    return fail(`no access to the UART at 0x${uart.base.toString(16)}`, e);
  }

  const device = new Ns16550(ports.session, uart.base);
  /* sending polls the line status register, which must not interleave with the interrupt's reads */
  const lock = new Mutex();
  const root = new TerminalRoot(env, (bytes) => lock.guard(() => device.write(bytes)));
  try {
    await device.init(baud);
  } catch (e) {
    return fail('cannot set up the UART', e);
  }
  const handler = await env.signalHandler(async () => {
    const bytes: number[] = [];
    await lock.guard(() => device.interrupt((b) => bytes.push(b)));
    root.received(bytes);
    await irq.session.ack();
  });
  await irq.session.sigh(handler.cap);
  await log(`UART at 0x${uart.base.toString(16)}, IRQ ${uart.irq}, ${baud} baud`);
  await root.announce();
}
