/*
 * Core's PD service: a protection domain with its RAM and capability accounts.
 *
 * Accounts form a tree through reference accounts: quota moves only between a PD and its
 * reference account (a parent and its child). Every dataspace, RPC capability and signal
 * context is charged to the PD that asked for it and returned exactly when it is freed.
 * When the session closes, what is left goes back to the reference account, and the
 * accounts that had it as their reference are adopted by that one (Genode's Account: a
 * nested init's grandchild may outlive its parent's PD, and its quota must still return).
 */
import { Capability } from '../capability.js';
import { InvalidCapability, InvalidSession, OutOfCaps, OutOfRam, UndefinedRefAccount } from '../errors.js';
import { checkAmount, checkSize } from '../lib/quota_amount.js';
import { QuotaGuard, withdrawBoth } from '../lib/quota_guard.js';
import { Dataspace } from '../session/dataspace/session.js';
import type { Parent } from '../session/parent/session.js';
import { PdSession, type Quota } from '../session/pd/session.js';
import { RegionMap } from '../session/region_map/session.js';
import type { SignalContext, SignalSource } from '../session/signal/session.js';
import type { CpuThread } from '../session/cpu_thread/session.js';
import { coreWarning, type CoreContext } from './context.js';
import { CoreService, type CoreSession, type CoreSessionRequest } from './core_service.js';
import { DataspaceComponent } from './dataspace_component.js';
import { RegionMapComponent } from './region_map_component.js';
import type { PlatformPd } from './platform.js';
import { CpuThreadComponent } from './cpu_service.js';

const PAGE = 4096;

export class PdSessionComponent implements PdSession {
  readonly ram: QuotaGuard;
  readonly caps: QuotaGuard;
  ref: PdSessionComponent | undefined;
  /** The PDs whose reference account this is. */
  private readonly members = new Set<PdSessionComponent>();
  readonly address: RegionMapComponent;
  addressCap: Capability<RegionMap> = Capability.invalid();
  private readonly dataspaces = new Set<DataspaceComponent>();
  private readonly rpcCaps = new Map<number | string, Capability<unknown>>();
  private readonly sources = new Map<number | string, Capability<unknown>>();
  private readonly contexts = new Map<number | string, Capability<unknown>>();
  mainThreadStarted = false;
  /** The component's parent (where core reports the component's faults). */
  parent: Capability<Parent> | undefined;

  constructor(readonly label: string, readonly platformPd: PlatformPd, private readonly ctx: CoreContext) {
    this.ram = new QuotaGuard(0, 'RAM', `PD "${label}"`);
    this.caps = new QuotaGuard(0, 'caps', `PD "${label}"`);
    this.address = new RegionMapComponent(ctx.ep, platformPd, (sigh) => ctx.platform.submitSignal(sigh, 1));
  }

  private pdOf(cap: Capability<PdSession>): PdSessionComponent {
    const pd = this.ctx.ep.local(cap, PdSessionComponent);
    if (!pd) throw new InvalidSession(`PD "${this.label}": the capability does not name a PD session`);
    return pd;
  }

  assignParent = async (parent: Capability<Parent>): Promise<void> => {
    this.parent = parent;
    if (!this.platformPd.assignParent(parent)) coreWarning(this.ctx, `PD "${this.label}": could not assign parent`);
  };

  /* ------------------------------------------------------------------ RAM */

  alloc = async (size: number): Promise<Capability<Dataspace>> => {
    checkSize(size, 'alloc of bytes', `PD "${this.label}"`);
    const bytes = Math.ceil(size / PAGE) * PAGE;
    withdrawBoth(this.ram, bytes, this.caps, 1);
    const phys = this.ctx.phys.alloc(bytes, PAGE);
    if (phys === undefined) {
      this.ram.replenish(bytes);
      this.caps.replenish(1);
      throw new OutOfRam(`core is out of physical memory (${bytes} bytes requested by "${this.label}")`);
    }
    this.ctx.platform.allocRam(phys, bytes);
    const ds = new DataspaceComponent(phys, size, true, this);
    this.dataspaces.add(ds);
    return this.ctx.ep.manage(Dataspace, ds);
  };

  free = async (dsCap: Capability<Dataspace>): Promise<void> => {
    const ds = this.ctx.ep.local(dsCap, DataspaceComponent);
    if (!ds) return;
    if (ds.owner !== this) {
      const owner = ds.owner instanceof PdSessionComponent ? `PD "${ds.owner.label}"` : 'core';
      coreWarning(this.ctx, `PD "${this.label}" tried to free a dataspace owned by ${owner}, refused`);
      return;
    }
    await this.destroyDataspace(ds);
  };

  private async destroyDataspace(ds: DataspaceComponent): Promise<void> {
    this.dataspaces.delete(ds);
    ds.detachAll();
    this.ctx.platform.revokePhys(ds.phys, Math.ceil(ds.bytes / PAGE) * PAGE);
    await this.ctx.ep.dissolve(ds);
    this.ctx.phys.freeAt(ds.phys);
    this.ram.replenish(Math.ceil(ds.bytes / PAGE) * PAGE);
    this.caps.replenish(1);
  }

  dmaAddr = async (dsCap: Capability<Dataspace>): Promise<number> => {
    const ds = this.ctx.ep.local(dsCap, DataspaceComponent);
    return ds && ds.owner === this ? ds.phys : 0;
  };

  dataspaceSize = async (dsCap: Capability<Dataspace>): Promise<number> => {
    return this.ctx.ep.local(dsCap, DataspaceComponent)?.bytes ?? 0;
  };

  /* ------------------------------------------------------------------ accounts */

  refAccount = async (cap: Capability<PdSession>): Promise<void> => {
    const pd = this.pdOf(cap);
    if (pd === this) throw new InvalidSession(`PD "${this.label}" cannot be its own reference account`);
    this.ref?.members.delete(this);
    this.ref = pd;
    pd.members.add(this);
  };

  private checkTransfer(to: PdSessionComponent): void {
    if (to.ref !== this && this.ref !== to) {
      throw new UndefinedRefAccount(`PD "${this.label}" -> "${to.label}": quota moves only between a PD and its reference account`);
    }
  }

  /* the amount is checked first: a negative one would move quota backwards, i.e. mint it */
  transferQuota = async (cap: Capability<PdSession>, amount: number): Promise<void> => {
    checkAmount(amount, 'transferQuota of bytes', `PD "${this.label}"`);
    const to = this.pdOf(cap);
    this.checkTransfer(to);
    if (!this.ram.downgrade(amount)) {
      throw new OutOfRam(`PD "${this.label}" cannot transfer ${amount} bytes to "${to.label}", has ${this.ram.avail} left`);
    }
    to.ram.upgrade(amount);
  };

  transferCapQuota = async (cap: Capability<PdSession>, amount: number): Promise<void> => {
    checkAmount(amount, 'transferCapQuota of caps', `PD "${this.label}"`);
    const to = this.pdOf(cap);
    this.checkTransfer(to);
    if (!this.caps.downgrade(amount)) {
      throw new OutOfCaps(`PD "${this.label}" cannot transfer ${amount} caps to "${to.label}", has ${this.caps.avail} left`);
    }
    to.caps.upgrade(amount);
  };

  quota = async (): Promise<Quota> => ({
    ramQuota: this.ram.limit, ramUsed: this.ram.used, capQuota: this.caps.limit, capUsed: this.caps.used,
  });

  /* ------------------------------------------------------------------ RPC objects */

  allocRpcCap = async (epCap: Capability<CpuThread>): Promise<Capability<unknown>> => {
    const thread = this.ctx.ep.local(epCap, CpuThreadComponent);
    if (!thread || thread.pd !== this) throw new InvalidCapability(`PD "${this.label}": allocRpcCap needs an entrypoint thread of this PD`);
    this.caps.withdraw(1);
    const cap = this.ctx.platform.allocRpcCap(this.platformPd, thread.platformThread);
    if (!cap) {
      this.caps.replenish(1);
      throw new InvalidCapability(`PD "${this.label}": the thread "${thread.name}" cannot serve RPC objects`);
    }
    this.rpcCaps.set(cap.native!.key, cap);
    return cap;
  };

  freeRpcCap = async (cap: Capability<unknown>): Promise<void> => {
    const key = cap.native?.key;
    const own = key === undefined ? undefined : this.rpcCaps.get(key);
    if (!own) return;
    this.rpcCaps.delete(key!);
    this.ctx.platform.freeRpcCap(own);
    this.caps.replenish(1);
  };

  imprintRpcCap = async (cap: Capability<unknown>, badge: number): Promise<void> => {
    const key = cap.native?.key;
    const own = key === undefined ? undefined : this.rpcCaps.get(key);
    if (!own) throw new InvalidCapability(`PD "${this.label}": imprintRpcCap needs an RPC capability of this PD`);
    if (this.ctx.platform.imprintRpcCap && !this.ctx.platform.imprintRpcCap(own, badge)) {
      throw new InvalidCapability(`PD "${this.label}": the kernel refused to imprint ${badge} on ${own}`);
    }
  };

  /* ------------------------------------------------------------------ signals */

  allocSignalSource = async (): Promise<Capability<SignalSource>> => {
    this.caps.withdraw(1);
    const cap = this.ctx.platform.allocSignalSource(this.platformPd);
    if (!cap) {
      this.caps.replenish(1);
      throw new OutOfCaps(`PD "${this.label}": no signal source available`);
    }
    this.sources.set(cap.native!.key, cap);
    return cap as Capability<SignalSource>;
  };

  allocContext = async (source: Capability<SignalSource>, imprint: number): Promise<Capability<SignalContext>> => {
    const key = source.native?.key;
    const own = key === undefined ? undefined : this.sources.get(key);
    if (!own) throw new InvalidCapability(`PD "${this.label}": allocContext needs a signal source of this PD`);
    this.caps.withdraw(1);
    const cap = this.ctx.platform.allocSignalContext(own, imprint);
    if (!cap) {
      this.caps.replenish(1);
      throw new OutOfCaps(`PD "${this.label}": could not create a signal context`);
    }
    this.contexts.set(cap.native!.key, cap);
    return cap as Capability<SignalContext>;
  };

  freeContext = async (ctx: Capability<SignalContext>): Promise<void> => {
    const key = ctx.native?.key;
    const own = key === undefined ? undefined : this.contexts.get(key);
    if (!own) return;
    this.contexts.delete(key!);
    this.ctx.platform.freeSignalContext(own);
    this.caps.replenish(1);
  };

  submit = async (ctx: Capability<SignalContext>, count: number): Promise<void> => {
    if (ctx.valid && Number.isSafeInteger(count) && count > 0) this.ctx.platform.submitSignal(ctx, count);
  };

  addressSpace = async (): Promise<Capability<RegionMap>> => this.addressCap;

  /* ------------------------------------------------------------------ teardown */

  async destroy(): Promise<void> {
    for (const ds of [...this.dataspaces]) await this.destroyDataspace(ds);
    for (const key of [...this.rpcCaps.keys()]) await this.freeRpcCap(this.rpcCaps.get(key)!);
    for (const key of [...this.contexts.keys()]) await this.freeContext(this.contexts.get(key)! as Capability<SignalContext>);
    for (const cap of this.sources.values()) this.ctx.platform.freeSignalContext(cap);
    this.caps.replenish(this.sources.size);
    this.sources.clear();
    this.address.destroy();
    await this.ctx.ep.dissolve(this.address);
    this.platformPd.destroy();
    /* what is left of the account goes back to the reference account */
    if (this.ref) {
      this.ref.ram.upgrade(this.ram.limit - this.ram.used);
      this.ref.caps.upgrade(this.caps.limit - this.caps.used);
      this.ref.members.delete(this);
      /* the accounts that had this one as reference are adopted by ours */
      for (const orphan of this.members) {
        orphan.ref = this.ref;
        this.ref.members.add(orphan);
      }
    }
    this.members.clear();
    this.ram.limit = this.ram.used;
    this.caps.limit = this.caps.used;
  }
}

export class PdService extends CoreService {
  readonly name = 'PD';
  readonly ramNeeded = 8 * 1024;
  readonly capsNeeded = 2;

  constructor(private readonly ctx: CoreContext) {
    super();
  }

  private readonly byPlatformPd = new Map<PlatformPd, PdSessionComponent>();

  /** The PD session of a kernel PD (to report its faults). */
  sessionOf(pd: PlatformPd): PdSessionComponent | undefined {
    return this.byPlatformPd.get(pd);
  }

  /** Creates a PD session without RPC (core uses this for init). */
  async createLocal(label: string): Promise<{ session: PdSessionComponent; cap: Capability<PdSession> }> {
    const session = new PdSessionComponent(label, this.ctx.platform.createPd(label), this.ctx);
    this.byPlatformPd.set(session.platformPd, session);
    session.addressCap = await this.ctx.ep.manage(RegionMap, session.address);
    const cap = await this.ctx.ep.manage(PdSession, session);
    return { session, cap };
  }

  protected async create(req: CoreSessionRequest): Promise<CoreSession> {
    const { session, cap } = await this.createLocal(req.label);
    return {
      cap,
      destroy: async () => {
        this.byPlatformPd.delete(session.platformPd);
        await session.destroy();
        await this.ctx.ep.dissolve(session);
      },
    };
  }
}

export { OutOfCaps };
