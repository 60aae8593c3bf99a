/*
 * A child of init (Genode's sandbox Child): its PD and CPU sessions, its binary, the
 * Parent object it talks to, and the sessions init routed for it.
 */
import type { Capability } from '../../../base/src/capability.js';
import { Connection } from '../../../base/src/lib/connection.js';
import type { Env } from '../../../base/src/lib/env.js';
import { ParentServer, type SessionRequest } from '../../../base/src/lib/parent_server.js';
import { slotTop } from '../../../base/src/lib/stack_area.js';
import { labelLastElement, parseArgs, quotaArg, stringArg, prefixLabel } from '../../../base/src/session/args.js';
import { ConfigRomService } from './config_rom.js';
import { scaleCpuPriority } from './priority.js';
import { CpuSession, ThreadKind } from '../../../base/src/session/cpu/session.js';
import { CpuThread } from '../../../base/src/session/cpu_thread/session.js';
import { EnvSession, Parent, SessionState } from '../../../base/src/session/parent/session.js';
import { PdSession } from '../../../base/src/session/pd/session.js';
import { RegionMap } from '../../../base/src/session/region_map/session.js';
import { RomSession } from '../../../base/src/session/rom/session.js';
import type { SignalContext } from '../../../base/src/session/signal/session.js';
import type { StartConfig } from './config_model.js';
import type { SessionInfo } from './state_report.js';
import type { RoutedSession, ServerChild } from './service.js';
import { ServiceDenied } from '../../../base/src/errors.js';

export interface ChildPolicy {
  /** A child asked for more quota: grant it (or not) and signal the child either way. */
  resourceRequest(child: InitChild, ram: number, caps: number): Promise<void>;
  /** Finds where a session request of `child` goes (throws ServiceDenied if nowhere). */
  route(child: InitChild, service: string, label: string): Promise<import('./service.js').Service>;
  announced(child: InitChild, service: string): void;
  exited(child: InitChild, code: number): void;
  /** Something a state report shows changed (sessions, quota). */
  stateChanged?(): void;
  /**
   * A session of a child that is going away is being closed: `done` settles once its server
   * closed it and its donation came back (the child does not wait for that).
   */
  closing(child: InitChild, done: Promise<void>): void;
  /** A server went away with `count` requests unanswered; their clients are denied. */
  requestsDropped(child: InitChild, count: number): void;
  log(text: string): void;
  /**
   * Called with the child's PD before its first thread starts (Genode's Child_policy::init):
   * e.g. to install a fault handler on its address space.
   */
  initPd?(child: InitChild, pd: PdSession): Promise<void>;
}

/** Genode's names of session states (Session_state::State), as state reports show them. */
const STATE_NAMES: Record<number, string> = {
  [SessionState.PENDING]: 'CREATE_REQUESTED',
  [SessionState.AVAILABLE]: 'CAP_HANDED_OUT',
  [SessionState.DENIED]: 'SERVICE_DENIED',
  [SessionState.INSUFFICIENT_RAM_QUOTA]: 'INSUFFICIENT_RAM_QUOTA',
  [SessionState.INSUFFICIENT_CAP_QUOTA]: 'INSUFFICIENT_CAP_QUOTA',
  [SessionState.CLOSED]: 'CLOSED',
  [SessionState.OUT_OF_RAM]: 'OUT_OF_RAM',
  [SessionState.OUT_OF_CAPS]: 'OUT_OF_CAPS',
};

export class InitChild extends ParentServer implements ServerChild {
  readonly announcedServices = new Set<string>();
  private pdConn: Connection<PdSession> | undefined;
  private cpuConn: Connection<CpuSession> | undefined;
  private romConn: Connection<RomSession> | undefined;
  private parentCap: Capability<Parent> | undefined;
  /** Capabilities init got while starting the child, released when it goes. */
  private readonly held: Capability<unknown>[] = [];
  state: 'new' | 'running' | 'exited' | 'destroyed' = 'new';
  /** Genode's child id: unique among the children init ever had. */
  id = 0;
  /** The sessions this child serves, for the state report. */
  readonly provided = new Set<SessionInfo>();
  readonly configRom: ConfigRomService | undefined;
  /** Called once when the child is being destroyed (what it still waits for is withdrawn). */
  private readonly goneListeners = new Set<() => void>();

  /**
   * Calls `fn` when the child goes away; returns how to take it back. (A listener per wait
   * that is taken back when the wait ends: a promise would keep every wait's reaction.)
   */
  onGone(fn: () => void): () => void {
    if (!this.alive) {
      queueMicrotask(fn);
      return () => {};
    }
    this.goneListeners.add(fn);
    return () => this.goneListeners.delete(fn);
  }

  get alive(): boolean {
    return this.state !== 'destroyed';
  }

  /** A reload changed only the <config>: the rest of the start node stays as it was. */
  updateStart(start: StartConfig): void {
    this.start = start;
  }

  constructor(public start: StartConfig, private readonly env: Env, private readonly policy: ChildPolicy) {
    super();
    /*
     * A child that is an init (or another parent) holds a PD, CPU, ROM and LOG session here
     * for each of its own children, as init does at core: 1024 would cap a nested init at
     * about 250 children. Each request is still paid from the child's quota.
     */
    this.requestsMax = 1 << 16;
    if (start.config !== undefined) this.configRom = new ConfigRomService(env, start.config);
  }

  get name(): string {
    return this.start.name;
  }

  get pd() {
    return this.pdConn!.session;
  }

  /** What init pays besides the child's quota: the child's PD, CPU and binary ROM sessions, and its parent capability. */
  static readonly ENV_SESSIONS_COST = {
    ram: PdSession.RAM_QUOTA + CpuSession.RAM_QUOTA + RomSession.RAM_QUOTA,
    caps: PdSession.CAP_QUOTA + CpuSession.CAP_QUOTA + RomSession.CAP_QUOTA + 1,
  };

  /** Creates the child's PD and CPU, pays its quota, loads its binary and starts it. */
  async startChild(): Promise<void> {
    const env = this.env;
    const { name, binary, ram, caps } = this.start;
    /* the binary first: an unknown binary is refused before anything is spent */
    this.romConn = await Connection.open(env, RomSession, { label: binary });
    this.pdConn = await Connection.open(env, PdSession, { label: name });
    this.cpuConn = await Connection.open(env, CpuSession, { label: name, args: { priority: this.start.cpuPriority } });
    const pd = this.pdConn.session;
    await pd.refAccount(env.pd.cap);
    await env.pd.transferQuota(pd.cap, ram);
    await env.pd.transferCapQuota(pd.cap, caps);
    this.parentCap = await env.ep.manage(Parent, this);
    await pd.assignParent(this.parentCap);
    this.addEnvSession(EnvSession.PD, 'PD', pd.cap);
    this.addEnvSession(EnvSession.CPU, 'CPU', this.cpuConn.cap);

    const ds = await this.romConn.session.dataspace();
    this.held.push(ds);
    const rm = env.rpc(RegionMap, await pd.addressSpace());
    this.held.push(rm.cap);
    const { start: ip } = await rm.attach(ds, { size: 0, offset: 0, useAt: false, at: 0, executable: true, writeable: false });
    await this.policy.initPd?.(this, pd);
    const thread = await this.cpuConn.session.createThread(pd.cap, 'main', ThreadKind.GLOBAL);
    this.held.push(thread);
    await env.rpc(CpuThread, thread).start(ip, slotTop(0));
    this.state = 'running';
  }

  /* ----------------------------------------------------------------- ParentServer */

  protected submit(ctx: Capability<SignalContext>): Promise<void> {
    return this.env.submit(ctx, 1);
  }

  protected async createSession(req: SessionRequest): Promise<void> {
    const label = prefixLabel(this.name, stringArg(parseArgs(req.args), 'label'));
    /* the child's own "config" ROM comes from its <config> node, before any routing */
    const service = req.service === 'ROM' && labelLastElement(label) === 'config' && this.configRom
      ? this.configRom
      : await this.policy.route(this, req.service, label);
    /* a CPU session gets the child's priority band, whoever in the child asked */
    const args = req.service === 'CPU' ? scaleCpuPriority(req.args, this.start.prioLevels, this.start.cpuPriority) : req.args;
    const session = await service.create(this, args, label);
    if (!this.alive) {
      /* the child went away while its parent was busy with the request */
      this.policy.closing(this, session.close());
      throw new ServiceDenied(`"${this.name}" is gone`);
    }
    req.route = session;
    req.cap = session.cap;
    this.policy.stateChanged?.();
  }

  /** The sessions the child asked for, for the state report. */
  requestedSessions(): SessionInfo[] {
    return [...this.requests.values()].map((r) => ({
      service: r.service,
      label: prefixLabel(this.name, stringArg(parseArgs(r.args), 'label')),
      state: STATE_NAMES[r.state] ?? String(r.state),
      args: r.args,
    }));
  }

  /* a request's record is paid from the child's PD account into init's, and back */
  protected async chargeRequest(ram: number): Promise<void> {
    await this.pd.transferQuota(this.env.pd.cap, ram);
  }

  protected async refundRequest(ram: number): Promise<void> {
    if (this.state !== 'destroyed') await this.env.pd.transferQuota(this.pd.cap, ram);
  }

  protected async upgradeSession(req: SessionRequest, ram: number, caps: number): Promise<void> {
    await (req.route as RoutedSession).upgrade(ram, caps);
  }

  protected async closeSession(req: SessionRequest): Promise<void> {
    const s = req.route as RoutedSession;
    req.route = undefined;
    await s.close();
    this.policy.stateChanged?.();
  }

  protected childExited(code: number): void {
    if (this.state !== 'running') return;
    this.state = 'exited';
    this.policy.exited(this, code);
  }

  /** Quota given beyond the start's quantum in answer to resource requests. */
  granted = { ram: 0, caps: 0 };
  /** What the child's last resource request asked for and did not get. */
  requestedResources = { ram: 0, caps: 0 };

  protected override async resourceRequested(args: string): Promise<void> {
    const a = parseArgs(args);
    const who = `resource request of "${this.name}"`;
    await this.policy.resourceRequest(this, quotaArg(a, 'ram_quota', who), quotaArg(a, 'cap_quota', who));
  }

  protected override releaseCap(cap: Capability<unknown>): void {
    this.env.ep.release(cap);
  }

  protected serviceAnnounced(name: string): void {
    this.announcedServices.add(name);
    this.policy.announced(this, name);
  }

  /**
   * Closes everything the child had and returns its quota to init. Nothing here waits
   * for a server: its requests pending at servers are withdrawn, its sessions' closes are
   * under way when this returns, and the requests of its own clients are denied.
   */
  async destroy(): Promise<void> {
    if (this.state === 'destroyed') return;
    this.state = 'destroyed';
    const listeners = [...this.goneListeners];
    this.goneListeners.clear();
    for (const fn of listeners) fn();
    for (const req of [...this.requests.values()]) {
      const s = req.route as RoutedSession | undefined;
      if (!s) continue;
      req.route = undefined;
      this.policy.closing(this, s.close());
    }
    if (this.parentCap) await this.env.ep.dissolve(this);
    /* what the child gave and what init got for it: nothing of it is used again */
    this.releaseSignalHandlers();
    for (const cap of this.held.splice(0)) this.env.runtime.release(cap);
    await this.romConn?.close();
    await this.cpuConn?.close();
    /* closing the PD returns what is left of the child's account to init */
    await this.pdConn?.close();
    const pending = this.served.pending;
    this.served.fail(`"${this.name}" is gone`);
    if (pending) this.policy.requestsDropped(this, pending);
  }
}
