/*
 * Core's IRQ service: delivers a device interrupt as a signal to the session holder. An
 * occurrence is delivered once the previous one was acknowledged, as Genode's IRQ
 * sessions do; occurrences in between are remembered (the line is edge-triggered). Where
 * the kernel signals interrupts itself (platform.irqSignals: NOVA), core only binds the
 * handler and passes acknowledgements on; elsewhere a thread of core gets the interrupt
 * from the kernel (platform.attachIrq) and submits the signal.
 */
import type { Capability } from '../capability.js';
import { ServiceDenied } from '../errors.js';
import { numberArg } from '../session/args.js';
import { IrqSession } from '../session/irq/session.js';
import type { SignalContext } from '../session/signal/session.js';
import type { CoreContext } from './context.js';
import { CoreService, type CoreSession, type CoreSessionRequest } from './core_service.js';

/** An IRQ session whose kernel delivers the signal and keeps the ack state (NOVA). */
class KernelSignalledIrq implements IrqSession {
  private sighCap: Capability<SignalContext> | undefined;

  constructor(private readonly ctx: CoreContext, private readonly irq: number) {}

  sigh = async (cap: Capability<SignalContext>) => {
    const signals = this.ctx.platform.irqSignals!;
    this.ctx.ep.release(this.sighCap);
    this.sighCap = cap.valid ? cap : undefined;
    if (!signals.sigh(this.irq, this.sighCap)) {
      this.ctx.ep.release(this.sighCap);
      this.sighCap = undefined;
    }
  };

  ack = async () => {
    this.ctx.platform.irqSignals!.ack(this.irq);
  };

  drop(): void {
    this.ctx.platform.irqSignals!.sigh(this.irq, undefined);
    this.ctx.ep.release(this.sighCap);
    this.sighCap = undefined;
  }
}

class IrqSessionComponent implements IrqSession {
  private sighCap: Capability<SignalContext> | undefined;
  private pending = false;
  private delivered = false;

  constructor(private readonly ctx: CoreContext) {}

  /** Called by the platform on each occurrence. */
  occurred(): void {
    this.pending = true;
    this.deliver();
  }

  private deliver(): void {
    if (!this.pending || this.delivered || !this.sighCap) return;
    this.pending = false;
    this.delivered = true;
    this.ctx.platform.submitSignal(this.sighCap, 1);
  }

  sigh = async (cap: Capability<SignalContext>) => {
    this.ctx.ep.release(this.sighCap);
    this.sighCap = cap;
    this.deliver();
  };

  /** The session is closed: the handler it kept goes. */
  drop(): void {
    this.ctx.ep.release(this.sighCap);
    this.sighCap = undefined;
  }

  ack = async () => {
    this.delivered = false;
    this.deliver();
  };
}

export class IrqService extends CoreService {
  readonly name = 'IRQ';
  readonly ramNeeded = 4096;
  readonly capsNeeded = 1;
  private readonly held = new Map<number, string>();

  constructor(private readonly ctx: CoreContext) {
    super();
  }

  protected async create(req: CoreSessionRequest): Promise<CoreSession> {
    const irq = numberArg(req.args, 'irq', -1);
    const holder = this.held.get(irq);
    if (holder) throw new ServiceDenied(`IRQ session "${req.label}": IRQ ${irq} is already held by "${holder}"`);
    const { irqSignals, attachIrq, detachIrq } = this.ctx.platform;
    const noLine = () => new ServiceDenied(`IRQ session "${req.label}": there is no interrupt line ${irq}`);
    let session: KernelSignalledIrq | IrqSessionComponent;
    let release: () => void;
    if (irqSignals) {
      if (irq < 0 || !irqSignals.take(irq)) throw noLine();
      session = new KernelSignalledIrq(this.ctx, irq);
      release = () => irqSignals.release(irq);
    } else {
      const s = new IrqSessionComponent(this.ctx);
      if (irq < 0 || !attachIrq?.call(this.ctx.platform, irq, () => s.occurred())) throw noLine();
      session = s;
      release = () => detachIrq?.call(this.ctx.platform, irq);
    }
    this.held.set(irq, req.label);
    const cap = await this.ctx.ep.manage(IrqSession, session);
    return {
      cap,
      destroy: async () => {
        session.drop();
        release();
        this.held.delete(irq);
        await this.ctx.ep.dissolve(session);
      },
    };
  }
}
