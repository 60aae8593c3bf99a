/*
 * Core's platform on linux. Core runs in the host process's main thread; every PD is a
 * worker_thread isolate created when its main thread starts. Capabilities are sparse
 * tokens in core's capability space, RPC goes through per-(client, server) channels that
 * core sets up when a client first resolves a token, dataspaces are SharedArrayBuffers
 * handed only to PDs that map them, signals go through a per-PD signal source. Time is
 * host time. A worker that ends on its own or falls silent is contained
 * (crash_containment.ts). The machine, where there is one, is core's, in this thread
 * (host_machine.ts): core offers its ports, device memory and interrupts to drivers.
 */
import { Capability } from '../../../base/src/capability.js';
import type { CorePlatform, LoadedBinary, MemoryAccess, Pager, PagerAnswer, PlatformPd, PlatformThread } from '../../../base/src/core/platform.js';
import { ThreadKindCode } from '../../../base/src/core/platform.js';
import { InvalidCapability, ServiceDenied } from '../../../base/src/errors.js';
import os from 'node:os';
import type { RpcCapFactory } from '../../../base/src/lib/entrypoint.js';
import { MmioError, mmioAccessOk, type Machine, type PhysicalMemory } from '../../../base/src/machine.js';
import type { MsgBuffer } from '../../../base/src/rpc/msgbuf.js';
import { AdaptiveWaiter, NO_SPIN, type SpinPolicy } from '../lib/adaptive_wait.js';
import { Connection, LinuxCaller } from '../lib/caller.js';
import { LinuxCapability, tokenOf } from '../lib/capability.js';
import { shortToken, type Token } from '../lib/token.js';
import { CapSpace } from './cap_space.js';
import { ChannelTable, type Channel } from './channels.js';
import { CrashContainment } from './crash_containment.js';
import { CORE_PARTY, CoreEndpoint } from './core_endpoint.js';
import type { Endpoint, Party } from './endpoint.js';
import { HostMachine } from './host_machine.js';
import { LinuxPd } from './pd.js';
import { SharedPhysMemory } from '../../../base/src/util/phys_memory.js';
import { SignalSourceBox } from './signal_source.js';
import { LinuxThread, type ThreadOwner } from './thread.js';
import { Watchdog } from './watchdog.js';
import { WorkerHost, type Supervisor } from './worker_host.js';

/** What a token names. */
type CoreObject =
  | { kind: 'rpc'; ep: Endpoint }
  | { kind: 'source'; box: SignalSourceBox }
  | { kind: 'context'; box: SignalSourceBox; slot: number };

export interface LinuxPlatformOptions {
  /** Physical RAM core hands out (bookkeeping only: buffers are created per dataspace). */
  ramBytes: number;
  /** A worker that does not answer the heartbeat this long is terminated. */
  watchdogMs?: number;
  /** Spinning of the components' callers and entrypoints (default: adaptive). */
  spin?: SpinPolicy;
  /** How many components may run at once (default: defaultMaxComponents()). */
  maxComponents?: number;
  /** Core's log sink: component diagnostics and crash reports go here. */
  log: (line: string) => void;
  /** The machine core drives for IO_PORT, IO_MEM and IRQ sessions (none: no device services). */
  machine?: Machine;
}

export const RAM_BASE = 0x10_0000;

/**
 * What one component's worker thread costs the host (its isolate, the locked-down
 * intrinsics, its program): about 7 MiB resident measured with 1000 children, rounded up.
 */
export const WORKER_HOST_BYTES = 8 * 1024 * 1024;

/**
 * How many components fit: half of the host's memory at one worker each. A PD beyond
 * that is refused when it is created, before its parent spent anything on the child,
 * rather than the host running out of memory with all of them.
 */
export function defaultMaxComponents(): number {
  return Math.max(16, Math.floor(os.totalmem() / 2 / WORKER_HOST_BYTES));
}
export const DEFAULT_WATCHDOG_MS = 5000;

export class LinuxCorePlatform implements CorePlatform, ThreadOwner, Supervisor {
  readonly kernel = 'linux';
  readonly ramBase = RAM_BASE;
  readonly ramSize: number;
  readonly caps = new CapSpace<CoreObject>();
  /**
   * Core's RAM: the machine's RAM where there is a machine whose RAM is shared and holds
   * [ramBase, ramBase+ramSize) (tool/run), so that dataspaces are physical memory its
   * devices reach by DMA; otherwise a shared memory of core's own.
   */
  readonly phys: PhysicalMemory & { readonly backedBytes?: number };
  readonly channels = new ChannelTable();
  private readonly pds = new Set<LinuxPd>();
  private readonly threads = new Map<LinuxPd, Set<LinuxThread>>();
  private readonly watchdog: Watchdog<LinuxPd>;
  private readonly log: (line: string) => void;
  private readonly started = performance.now();
  private coreEp: CoreEndpoint | undefined;
  private readonly coreConnections = new Map<number, Connection>();
  /** Core's own calls (exits it delivers on a crashed component's behalf). */
  readonly caller: LinuxCaller;
  private nextId = 1;
  private readonly containment: CrashContainment;
  readonly counters = { workers: 0, resolves: 0, pageFaults: 0 };
  readonly hostMachine: HostMachine | undefined;
  readonly ioPorts: CorePlatform['ioPorts'];

  private readonly maxComponents: number;

  constructor(private readonly options: LinuxPlatformOptions) {
    this.ramSize = options.ramBytes;
    this.maxComponents = options.maxComponents ?? defaultMaxComponents();
    const mem = options.machine?.memory as (PhysicalMemory & { shared?: boolean }) | undefined;
    this.phys = mem?.shared === true && this.ramBase + this.ramSize <= mem.size ? mem : new SharedPhysMemory(this.ramBase, this.ramSize);
    this.log = options.log;
    this.caller = new LinuxCaller((token) => this.coreConnection(token));
    this.containment = new CrashContainment(this.log, this.caller, (pd) => this.stopWorker(pd));
    this.watchdog = new Watchdog(options.watchdogMs ?? DEFAULT_WATCHDOG_MS, (pd, ms) => this.containment.silent(pd, ms));
    if (options.machine) {
      const hm = new HostMachine(options.machine, { base: this.ramBase, size: this.ramSize });
      this.hostMachine = hm;
      this.ioPorts = { read: (port, width) => hm.read(port, width), write: (port, width, value) => hm.write(port, width, value) };
    }
  }

  /* ------------------------------------------------------------------ IPC setup */

  /** The channel from `client` to the endpoint serving `token`, or why there is none. */
  private connect(client: Party, token: Token): Channel | { error: string; gone: boolean } {
    const obj = this.caps.lookup(token);
    if (!obj) return { error: `token ${shortToken(token)} names no object (forged, never granted, or revoked)`, gone: false };
    if (obj.kind !== 'rpc') return { error: `token ${shortToken(token)} names a signal ${obj.kind}, not an RPC object`, gone: false };
    if (!obj.ep.owner.alive) return { error: `the server "${obj.ep.owner.label}" of token ${shortToken(token)} is gone`, gone: true };
    this.counters.resolves++;
    return this.channels.connect(client, obj.ep);
  }

  private coreConnection(token: Token): Connection {
    const r = this.connect(CORE_PARTY, token);
    if ('error' in r) throw new InvalidCapability(r.error);
    let c = this.coreConnections.get(r.id);
    if (!c) {
      c = new Connection(r.id, r.buf.sab, r.ep.doorbell, new AdaptiveWaiter(NO_SPIN));
      this.coreConnections.set(r.id, c);
    }
    return c;
  }

  /** A channel for `pd`'s main thread, or for its further thread `thread` (core's name of it). */
  resolve(pd: LinuxPd, seq: number, token: Token, thread?: number): void {
    let party: Party = pd;
    if (thread !== undefined) {
      const t = [...this.threads.get(pd) ?? []].find((x) => x.id === thread);
      if (!t || !t.started || t.isMain || t.kind !== ThreadKindCode.GLOBAL || !t.alive) {
        pd.post({ t: 'resolved', seq, error: `thread ${thread} is no running thread of "${pd.label}"`, gone: false });
        return;
      }
      party = t;
    }
    const r = this.connect(party, token);
    if ('error' in r) pd.post({ t: 'resolved', seq, error: r.error, gone: r.gone });
    else pd.post({ t: 'resolved', seq, id: r.id, channel: r.buf.sab, doorbell: r.ep.doorbell });
  }

  diag(pd: LinuxPd, text: string): void {
    this.log(`[${pd.label}] ${text}`);
  }

  /* ------------------------------------------------------------------ CorePlatform */

  createEntrypoint(handler: (key: number | string, msg: MsgBuffer) => Promise<void>): RpcCapFactory {
    if (this.coreEp) throw new Error('core: its entrypoint exists already');
    const ep = new CoreEndpoint((text) => this.log(`[core] ${text}`));
    this.coreEp = ep;
    ep.server.start(handler);
    return {
      alloc: async () => {
        const token = this.caps.insert({ kind: 'rpc', ep });
        ep.server.serve(token, token);
        return { cap: new Capability(new LinuxCapability(token)), key: token };
      },
      free: async (cap) => {
        const token = tokenOf(cap);
        if (token === undefined || this.caps.lookup(token)?.kind !== 'rpc') return;
        this.caps.remove(token);
        ep.server.unserve(token);
      },
    };
  }

  createPd(label: string): PlatformPd {
    if (this.pds.size >= this.maxComponents) {
      throw new ServiceDenied(`linux: "${label}" would be component ${this.pds.size + 1}, beyond the limit of ${this.maxComponents} (one host worker thread of about ${WORKER_HOST_BYTES >> 20} MiB each, half of the host's memory)`);
    }
    const pd = new LinuxPd(this.nextId++, label, this.phys, (p) => this.pdGone(p), this.hostMachine?.deviceMemory);
    this.pds.add(pd);
    this.threads.set(pd, new Set());
    return pd;
  }

  createThread(pd: PlatformPd, name: string, kind: ThreadKindCode): PlatformThread {
    const p = pd as LinuxPd;
    const t = new LinuxThread(this.nextId++, p, name, kind, this);
    this.threads.get(p)?.add(t);
    return t;
  }

  allocRpcCap(pd: PlatformPd, ep: PlatformThread): Capability<unknown> | undefined {
    const t = ep as LinuxThread;
    if (!(t instanceof LinuxThread) || t.pd !== pd || t.kind !== ThreadKindCode.ENTRYPOINT || !t.started || !t.pd.alive) return undefined;
    return new Capability(new LinuxCapability(this.caps.insert({ kind: 'rpc', ep: t })));
  }

  freeRpcCap(cap: Capability<unknown>): void {
    const token = tokenOf(cap);
    const obj = token === undefined ? undefined : this.caps.lookup(token);
    if (obj?.kind !== 'rpc') return;
    this.caps.remove(token!);
    obj.ep.unserve(token!);
  }

  allocSignalSource(pd: PlatformPd): Capability<unknown> | undefined {
    const box = new SignalSourceBox();
    const token = this.caps.insert({ kind: 'source', box });
    (pd as LinuxPd).post({ t: 'source', token, sab: box.sab });
    return new Capability(new LinuxCapability(token));
  }

  allocSignalContext(source: Capability<unknown>, imprint: number): Capability<unknown> | undefined {
    const token = tokenOf(source);
    const obj = token === undefined ? undefined : this.caps.lookup(token);
    if (obj?.kind !== 'source') return undefined;
    const slot = obj.box.allocSlot(imprint);
    if (slot === undefined) return undefined;
    return new Capability(new LinuxCapability(this.caps.insert({ kind: 'context', box: obj.box, slot })));
  }

  freeSignalContext(ctx: Capability<unknown>): void {
    const token = tokenOf(ctx);
    const obj = token === undefined ? undefined : this.caps.lookup(token);
    if (!obj || obj.kind === 'rpc') return;
    this.caps.remove(token!);
    if (obj.kind === 'context') obj.box.freeSlot(obj.slot);
    else obj.box.close();
  }

  submitSignal(ctx: Capability<unknown>, count: number): void {
    const token = tokenOf(ctx);
    const obj = token === undefined ? undefined : this.caps.lookup(token);
    if (obj?.kind === 'context' && count > 0) obj.box.submit(obj.slot, count);
  }

  coreCaller(): LinuxCaller {
    return this.caller;
  }

  physView(phys: number, size: number): Uint8Array {
    return this.phys.view(phys, size);
  }

  allocRam(phys: number, size: number): Uint8Array {
    this.phys.back(phys, size);
    return this.phys.view(phys, size);
  }

  revokePhys(phys: number, size: number): void {
    for (const pd of this.pds) pd.revokePhys(phys, size);
    /* the range is about to be freed and may come back with another size */
    this.phys.drop(phys, size);
  }

  nowUs(): number {
    return (performance.now() - this.started) * 1000;
  }

  /* ------------------------------------------------------------------ the pager */

  private pager: Pager | undefined;

  setPager(pager: Pager): void {
    this.pager = pager;
  }

  /**
   * A page fault of `pd`'s worker (its fault message: the SIGSEGV a process raises, caught
   * by core as a pager would be). Core asks its pager and posts the flexpage as a map
   * message, then the fault's answer, so the worker runs on with the mapping in place. A
   * fault handed to a region map's fault handler is held here (no blocking: other PDs'
   * faults go on) until an attach or detach lets the pager try again; an unresolvable one
   * is the component's crash. One fault per worker is pending at a time: a further one
   * meanwhile is refused, never queued.
   */
  pageFault(pd: LinuxPd, seq: number, addr: number, access: MemoryAccess): void {
    if (!pd.alive) return;
    if (pd.fault) {
      pd.post({ t: 'fault-done', seq, error: `a page fault (${pd.fault.seq}) is pending already` });
      return;
    }
    const pending = { seq };
    pd.fault = pending;
    this.counters.pageFaults++;
    void this.resolveFault(pd, pending, addr, access);
  }

  private async resolveFault(pd: LinuxPd, pending: { seq: number }, addr: number, access: MemoryAccess): Promise<void> {
    const hex = (n: number) => `0x${n.toString(16)}`;
    for (;;) {
      if (!this.pager) return this.containment.faulted(pd, `page fault: ${access.toUpperCase()} at ${hex(addr)}, but core has no pager`);
      let a: PagerAnswer;
      try {
        a = this.pager(pd, { addr, access, thread: 'main' });
      } catch (e) {
        return this.containment.faulted(pd, `page fault: ${access.toUpperCase()} at ${hex(addr)}: core's pager failed: ${(e as Error)?.message ?? String(e)}`);
      }
      if (a.kind === 'wait') {
        await a.retry.catch(() => {});
        /* the component may be gone meanwhile */
        if (!pd.alive || pd.fault !== pending) return;
        continue;
      }
      if (a.kind === 'fail') return this.containment.faulted(pd, a.reason);
      const fits = Number.isSafeInteger(a.size) && a.size >= 4096 && Number.isInteger(Math.log2(a.size)) &&
        a.vaddr % a.size === 0 && a.phys % a.size === 0 && a.vaddr <= addr && addr < a.vaddr + a.size;
      if (!fits || !pd.install(a.vaddr, a.phys, a.size, a.writeable, a.executable)) {
        return this.containment.faulted(pd, `page fault: ${access.toUpperCase()} at ${hex(addr)}: core's pager answered with an unmappable flexpage ${hex(a.vaddr)}+${hex(a.size)} -> ${hex(a.phys)}`);
      }
      pd.fault = undefined;
      pd.post({ t: 'fault-done', seq: pending.seq });
      return;
    }
  }

  /* ------------------------------------------------------------------ devices */

  /**
   * A register access of `pd`'s worker at its virtual `addr`: translated through the PD's
   * mappings (core's record of what its pager mapped), performed on the machine in this
   * thread, answered by an 'mmio-done' message. FAULT: the worker raises the page fault and retries.
   */
  mmio(pd: LinuxPd, seq: number, addr: number, width: number, write: boolean, value: number): void {
    let result: number;
    if (!mmioAccessOk(addr, width)) result = MmioError.BAD_ACCESS;
    else {
      const phys = pd.registerAddress(addr, write);
      result = phys < 0 ? phys : this.hostMachine ? this.hostMachine.mmio(phys, width, write, value) : MmioError.NOT_REGISTERS;
    }
    pd.post({ t: 'mmio-done', seq, result });
  }

  isDeviceMemory(phys: number, size: number): boolean {
    return this.hostMachine?.deviceMemory.contains(phys, size) ?? false;
  }

  attachIrq(irq: number, handler: () => void): boolean {
    return this.hostMachine?.interrupts.attach(irq, handler) ?? false;
  }

  detachIrq(irq: number): void {
    this.hostMachine?.interrupts.detach(irq);
  }

  /* ------------------------------------------------------------------ threads and workers */

  spawn(pd: LinuxPd, binary: LoadedBinary, sp: number): string | undefined {
    if (pd.host) return 'the PD runs a program already';
    if (pd.destroyed) return 'its PD is gone';
    pd.host = new WorkerHost(pd, binary, sp, this.options.spin, this);
    this.counters.workers++;
    return undefined;
  }

  threadGone(t: LinuxThread): void {
    this.threads.get(t.pd)?.delete(t);
    this.channels.endpointGone(t);
    /* the thread's own calls end with it */
    this.channels.partyGone(t);
    /* the main thread is the worker: without it the component is gone */
    if (t.isMain) this.stopWorker(t.pd);
  }

  private stopWorker(pd: LinuxPd): void {
    this.watchdog.unwatch(pd);
    if (pd.host?.running) void pd.host.terminate();
    if (pd.host) pd.ended = true;
    this.channels.partyGone(pd);
  }

  private pdGone(pd: LinuxPd): void {
    this.stopWorker(pd);
    for (const t of this.threads.get(pd) ?? []) this.channels.endpointGone(t);
    this.threads.delete(pd);
    this.pds.delete(pd);
  }

  /* ------------------------------------------------------------------ crash containment */

  /* watched from when its worker exists: waiting for a loading slot is not loading */
  workerStarted(pd: LinuxPd): void {
    if (!pd.destroyed && !pd.ended) this.watchdog.watch(pd);
  }

  ended(pd: LinuxPd, reason: string, code: number): void {
    this.containment.ended(pd, reason, code);
  }

  /* ------------------------------------------------------------------ system */

  /** Ends every worker (the process can exit afterwards). */
  async shutdown(): Promise<void> {
    this.watchdog.stop();
    this.hostMachine?.stop();
    this.coreEp?.server.stop();
    const stops: Promise<void>[] = [];
    for (const pd of this.pds) {
      if (pd.host?.running) stops.push(pd.host.terminate());
      pd.ended = true;
      this.channels.partyGone(pd);
    }
    await Promise.all(stops);
  }

  stats(): Record<string, number> {
    let running = 0;
    for (const pd of this.pds) if (pd.host?.running) running++;
    return {
      ...this.counters,
      crashes: this.containment.crashes,
      watchdogKills: this.containment.watchdogKills,
      unresolvedFaults: this.containment.faults,
      workersRunning: running,
      pds: this.pds.size,
      capabilities: this.caps.size,
      channels: this.channels.size,
      coreRequests: this.coreEp?.server.requests ?? 0,
      backedBytes: this.phys.backedBytes ?? 0,
      ...(this.hostMachine ? { portAccesses: this.hostMachine.portAccesses, interrupts: this.hostMachine.interrupts.delivered } : {}),
    };
  }
}
