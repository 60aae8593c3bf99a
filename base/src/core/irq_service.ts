/*
 * Core's IRQ service: delivers a device interrupt as a signal to the session holder. An
 * occurrence is delivered once the previous one was acknowledged, as Genode's IRQ
 * sessions do; occurrences in between are remembered (the line is edge-triggered).
 */
import type { Capability } from '../capability.js';
import { ServiceDenied } from '../errors.js';
import { numberArg } from '../session/args.js';
import { IrqSession } from '../session/irq/session.js';
import type { SignalContext } from '../session/signal/session.js';
import type { CoreContext } from './context.js';
import { CoreService, type CoreSession, type CoreSessionRequest } from './core_service.js';

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
    const session = new IrqSessionComponent(this.ctx);
    if (irq < 0 || !this.ctx.platform.attachIrq?.(irq, () => session.occurred())) {
      throw new ServiceDenied(`IRQ session "${req.label}": there is no interrupt line ${irq}`);
    }
    this.held.set(irq, req.label);
    const cap = await this.ctx.ep.manage(IrqSession, session);
    return {
      cap,
      destroy: async () => {
        this.ctx.platform.detachIrq?.(irq);
        this.held.delete(irq);
        await this.ctx.ep.dissolve(session);
        session.drop();
      },
    };
  }
}
