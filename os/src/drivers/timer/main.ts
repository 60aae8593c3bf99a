/*
 * timer: the PIT-based timer driver. It gets channel 0's ports (0x40-0x43) and IRQ 0 from
 * core through sessions routed by init, and serves any number of Timer sessions from them.
 */
import type { Capability } from '../../../../base/src/capability.js';
import { BadArgument } from '../../../../base/src/errors.js';
import { Connection } from '../../../../base/src/lib/connection.js';
import type { Env } from '../../../../base/src/lib/env.js';
import { RootComponent, type SessionContext } from '../../../../base/src/lib/root_component.js';
import { IoPortSession } from '../../../../base/src/session/io_port/session.js';
import { IrqSession } from '../../../../base/src/session/irq/session.js';
import type { SignalContext } from '../../../../base/src/session/signal/session.js';
import { describeError, openLog } from '../../lib/log.js';
import { TimerSession } from '../../session/timer/session.js';
import { TimerDriver, type TimeoutClient } from './driver.js';
import { PIT_IRQ, PIT_PORT_BASE, PIT_PORT_COUNT, PitTimer } from './pit.js';

function checkDuration(what: string, us: number): void {
  if (!Number.isSafeInteger(us) || us < 0) throw new BadArgument(`${what}: invalid duration ${us} us`);
}

class TimerSessionComponent implements TimerSession {
  readonly client: TimeoutClient = { target: undefined };

  constructor(private readonly driver: TimerDriver, private readonly release: (cap: Capability<unknown>) => void) {}

  sigh = async (cap: Capability<SignalContext>) => {
    this.drop();
    this.client.target = cap.valid ? cap : undefined;
  };

  /** Releases the kept signal handler (replaced, or the session is closed). */
  drop(): void {
    if (this.client.target) this.release(this.client.target);
    this.client.target = undefined;
  }

  triggerOnce = async (us: number) => {
    checkDuration('Timer.triggerOnce', us);
    await this.driver.schedule(this.client, us, 0);
  };

  triggerPeriodic = async (us: number) => {
    checkDuration('Timer.triggerPeriodic', us);
    if (us === 0) return this.driver.cancel(this.client);
    const period = Math.max(us, TimerSession.MIN_PERIOD_US);
    await this.driver.schedule(this.client, period, period);
  };

  elapsedUs = () => this.driver.nowUs();
  elapsedMs = async () => Math.floor((await this.driver.nowUs()) / 1000);
}

class TimerRoot extends RootComponent<TimerSession> {
  constructor(env: Env, private readonly driver: TimerDriver) {
    super(env, TimerSession, TimerSession.service);
  }

  protected async createSession(_ctx: SessionContext): Promise<TimerSession> {
    return new TimerSessionComponent(this.driver, (cap) => this.env.ep.release(cap));
  }

  protected override async destroySession(session: TimerSession): Promise<void> {
    this.driver.cancel((session as TimerSessionComponent).client);
    (session as TimerSessionComponent).drop();
  }
}

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
  const driver = new TimerDriver(new PitTimer(ports.session), (sigh) => void env.submit(sigh));
  const handler = await env.signalHandler(async () => {
    await driver.interrupt();
    await irq.session.ack();
  });
  await irq.session.sigh(handler.cap);
  await driver.start();
  await new TimerRoot(env, driver).announce();
}
