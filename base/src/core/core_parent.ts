/*
 * Core as init's parent: init's session requests are served by core's local services.
 * The donated quota is taken from init's PD account and returned when the session closes.
 */
import type { Capability } from '../capability.js';
import { OutOfRam, ServiceDenied } from '../errors.js';
import { ParentServer, type SessionRequest } from '../lib/parent_server.js';
import { parseArgs, prefixLabel, resourcesOf, stringArg } from '../session/args.js';
import type { SignalContext } from '../session/signal/session.js';
import type { CoreContext } from './context.js';
import type { CoreService, CoreSession } from './core_service.js';
import type { PdSessionComponent } from './pd_service.js';

export class CoreParent extends ParentServer {
  exitValue: number | undefined;

  constructor(
    readonly name: string,
    private readonly ctx: CoreContext,
    private readonly services: Map<string, CoreService>,
    private readonly account: PdSessionComponent,
    private readonly onExit: (code: number) => void,
  ) {
    super();
    /* init holds a ROM, PD and CPU session at core for each of its children */
    this.requestsMax = 1 << 16;
  }

  protected submit(ctx: Capability<SignalContext>): void {
    this.ctx.platform.submitSignal(ctx, 1);
  }

  protected async createSession(req: SessionRequest): Promise<void> {
    const service = this.services.get(req.service);
    if (!service) throw new ServiceDenied(`core provides no service "${req.service}"`);
    const args = parseArgs(req.args);
    const label = prefixLabel(this.name, stringArg(args, 'label'));
    const { ramQuota, capQuota } = resourcesOf(args, `${req.service} session "${label}"`);
    this.withdraw(ramQuota, capQuota);
    try {
      const session = await service.session({ label, args, ram: ramQuota, caps: capQuota });
      req.route = session;
      req.ram = ramQuota;
      req.caps = capQuota;
      req.cap = session.cap;
    } catch (e) {
      this.account.ram.upgrade(ramQuota);
      this.account.caps.upgrade(capQuota);
      throw e;
    }
  }

  private withdraw(ram: number, caps: number): void {
    if (!this.account.ram.downgrade(ram)) {
      throw new ServiceDenied(`"${this.name}" cannot donate ram_quota=${ram}, has ${this.account.ram.avail} left`);
    }
    if (!this.account.caps.downgrade(caps)) {
      this.account.ram.upgrade(ram);
      throw new ServiceDenied(`"${this.name}" cannot donate cap_quota=${caps}, has ${this.account.caps.avail} left`);
    }
  }

  protected chargeRequest(ram: number): void {
    if (!this.account.ram.downgrade(ram)) {
      throw new OutOfRam(`"${this.name}" has ${this.account.ram.avail} bytes left`);
    }
  }

  protected refundRequest(ram: number): void {
    this.account.ram.upgrade(ram);
  }

  protected async upgradeSession(req: SessionRequest, ram: number, caps: number): Promise<void> {
    this.withdraw(ram, caps);
    try {
      (req.route as CoreSession).upgrade?.(ram, caps);
    } catch (e) {
      this.account.ram.upgrade(ram);
      this.account.caps.upgrade(caps);
      throw e;
    }
    req.ram += ram;
    req.caps += caps;
  }

  protected async closeSession(req: SessionRequest): Promise<void> {
    await (req.route as CoreSession).destroy();
    this.account.ram.upgrade(req.ram);
    this.account.caps.upgrade(req.caps);
    req.route = undefined;
  }

  protected childExited(code: number): void {
    this.exitValue = code;
    this.onExit(code);
  }

  protected serviceAnnounced(name: string): void {
    this.ctx.log(`[core] Warning: "${this.name}" announced "${name}", but core has no use for it`);
  }

  protected override releaseCap(cap: Capability<unknown>): void {
    this.ctx.ep.release(cap);
  }
}
