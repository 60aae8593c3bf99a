/* Core's CPU service: threads of a PD. A PD's first thread is its main thread: its start runs the loader. */
import type { Capability } from '../capability.js';
import { BadArgument, InvalidSession, OutOfCaps, ServiceDenied, ThreadCreationFailed } from '../errors.js';
import { decodeBinary } from '../lib/binary.js';
import { QuotaGuard } from '../lib/quota_guard.js';
import { CpuSession, ThreadKind } from '../session/cpu/session.js';
import { CpuThread, type ThreadState } from '../session/cpu_thread/session.js';
import type { SignalContext } from '../session/signal/session.js';
import type { PdSession } from '../session/pd/session.js';
import { coreWarning, type CoreContext } from './context.js';
import { CoreService, type CoreSession, type CoreSessionRequest } from './core_service.js';
import type { PlatformThread } from './platform.js';
import { PdSessionComponent } from './pd_service.js';

export class CpuThreadComponent implements CpuThread {
  started = false;
  /** The thread's exception handler (Cpu_thread::exception_sigh). */
  private sigh: Capability<SignalContext> | undefined;
  /** The exception the thread is stopped in, and the withheld answer that ends it. */
  private stoppedIn: { what: string } | undefined;

  constructor(
    readonly name: string,
    readonly pd: PdSessionComponent,
    readonly platformThread: PlatformThread,
    readonly kind: ThreadKind,
    private readonly ctx: CoreContext,
  ) {}

  start = async (ip: number, sp: number): Promise<void> => {
    if (this.started) throw new BadArgument(`thread "${this.name}" of "${this.pd.label}" is already started`);
    let binary;
    if (this.kind === ThreadKind.GLOBAL && !this.pd.mainThreadStarted) {
      /* the loader: ip points at a binary the parent attached into the child's address space */
      const region = this.pd.address.regionAt(ip);
      const name = region ? decodeBinary(this.ctx.platform.physView(region.ds.phys + region.offset, 256)) : undefined;
      const module = name ? this.ctx.modules.binary(name) : undefined;
      if (!module) {
        coreWarning(this.ctx, `"${this.pd.label}": no executable at 0x${ip.toString(16)}${name ? ` (unknown binary "${name}")` : ''}`);
        return;
      }
      binary = { name: module.name, url: module.url, ramQuota: this.pd.ram.limit };
      this.pd.mainThreadStarted = true;
    }
    const failed = this.platformThread.start(ip, sp, binary);
    if (failed !== undefined) {
      throw new ThreadCreationFailed(`thread "${this.name}" of "${this.pd.label}" could not be started at ip=0x${ip.toString(16)} sp=0x${sp.toString(16)}: ${failed}`);
    }
    this.started = true;
  };

  executionTime = async (): Promise<number> => {
    if (!this.started) return 0;
    return this.platformThread.executionTime?.() ?? -1;
  };

  private what(): string {
    return `thread "${this.name}" of "${this.pd.label}"`;
  }

  pause = async (): Promise<void> => {
    if (!this.started) throw new BadArgument(`${this.what()} cannot be paused: it is not started`);
    const failed = this.platformThread.pause();
    if (failed !== undefined) throw new BadArgument(`${this.what()} cannot be paused: ${failed}`);
  };

  resume = async (): Promise<void> => {
    if (!this.started) throw new BadArgument(`${this.what()} cannot be resumed: it is not started`);
    const failed = this.platformThread.resume();
    if (failed !== undefined) throw new BadArgument(`${this.what()} cannot be resumed: ${failed}`);
    /* the thread leaves its exception: the held answer reaches it */
    this.stoppedIn = undefined;
  };

  state = async (): Promise<ThreadState> => {
    const k = this.started ? this.platformThread.state() : undefined;
    const base = { paused: k?.paused ?? false, exception: this.stoppedIn?.what ?? '', ip: k?.ip ?? 0, sp: k?.sp ?? 0, held: k?.held ?? 0 };
    if (this.stoppedIn) return { state: 'exception', ...base };
    return { state: k?.paused ? 'valid' : 'unavailable', ...base };
  };

  exceptionSigh = async (sigh: Capability<SignalContext>): Promise<void> => {
    this.sigh = sigh.valid ? sigh : undefined;
  };

  /*
   * The answer goes back at once (core's entrypoint serves on), but the thread is paused
   * first, so the kernel holds that answer from it: it stays stopped in the exception until
   * `resume`, as a thread whose pager does not answer its exception IPC.
   */
  exception = async (what: string): Promise<boolean> => {
    if (!this.sigh || this.stoppedIn || !this.started) return false;
    const failed = this.platformThread.pause();
    if (failed !== undefined) return false;
    this.stoppedIn = { what };
    this.ctx.log(`[core] ${this.what()} raised an exception (${what}): its exception handler is signalled`);
    this.ctx.platform.submitSignal(this.sigh, 1);
    return true;
  };
}

class CpuSessionComponent implements CpuSession {
  private readonly threads = new Set<CpuThreadComponent>();
  readonly caps: QuotaGuard;

  constructor(readonly label: string, capQuota: number, private readonly ctx: CoreContext, readonly priority = CpuSession.DEFAULT_PRIORITY) {
    this.caps = new QuotaGuard(capQuota, 'caps', `CPU session "${label}"`);
  }

  createThread = async (pdCap: Capability<PdSession>, name: string, kind: ThreadKind): Promise<Capability<CpuThread>> => {
    const pd = this.ctx.ep.local(pdCap, PdSessionComponent);
    if (!pd) throw new InvalidSession(`CPU session "${this.label}": createThread needs a PD session capability`);
    if (kind !== ThreadKind.GLOBAL && kind !== ThreadKind.ENTRYPOINT) throw new BadArgument(`unknown thread kind ${kind}`);
    this.caps.withdraw(1);
    const t = new CpuThreadComponent(name, pd, this.ctx.platform.createThread(pd.platformPd, name, kind as number, this.priority), kind, this.ctx);
    this.threads.add(t);
    return this.ctx.ep.manage(CpuThread, t);
  };

  killThread = async (cap: Capability<CpuThread>): Promise<void> => {
    const t = this.ctx.ep.local(cap, CpuThreadComponent);
    if (!t || !this.threads.has(t)) return;
    await this.kill(t);
  };

  private async kill(t: CpuThreadComponent): Promise<void> {
    this.threads.delete(t);
    t.platformThread.destroy();
    await this.ctx.ep.dissolve(t);
    this.caps.replenish(1);
  }

  upgrade(caps: number): void {
    this.caps.upgrade(caps);
  }

  async destroy(): Promise<void> {
    for (const t of [...this.threads]) await this.kill(t);
  }
}

export class CpuService extends CoreService {
  readonly name = 'CPU';
  readonly ramNeeded = 8 * 1024;
  readonly capsNeeded = 2;

  constructor(private readonly ctx: CoreContext) {
    super();
  }

  async createLocal(label: string, caps: number, priority = CpuSession.DEFAULT_PRIORITY): Promise<{ cap: Capability<CpuSession>; session: CpuSessionComponent }> {
    const session = new CpuSessionComponent(label, caps, this.ctx, priority);
    return { cap: await this.ctx.ep.manage(CpuSession, session), session };
  }

  protected async create(req: CoreSessionRequest): Promise<CoreSession> {
    /* the session cap itself is paid from the donation; the rest pays for threads */
    const prio = req.args.get('priority') ?? CpuSession.DEFAULT_PRIORITY;
    if (typeof prio !== 'number' || !Number.isSafeInteger(prio) || prio < 0 || prio >= CpuSession.PRIORITY_LIMIT) {
      throw new ServiceDenied(`CPU session "${req.label}": priority=${String(prio).slice(0, 32)} is not in [0, ${CpuSession.PRIORITY_LIMIT})`);
    }
    const { cap, session } = await this.createLocal(req.label, req.caps - 1, prio);
    return {
      cap,
      upgrade: (_ram, caps) => session.upgrade(caps),
      destroy: async () => {
        await session.destroy();
        await this.ctx.ep.dissolve(session);
      },
    };
  }
}

export { OutOfCaps };
