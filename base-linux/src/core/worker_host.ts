/*
 * A PD's worker as core supervises it: creates the isolate with what the component's
 * start-up code needs, takes the worker's requests (token resolution, console output),
 * and notices when the worker ends other than by core's hand: an uncaught error or an
 * exit. Everything a worker sends is checked; a worker is not trusted.
 */
import { MmioError } from '../../../base/src/machine.js';
import { setFlagsFromString } from 'node:v8';
import { Worker } from 'node:worker_threads';
import type { LoadedBinary, MemoryAccess } from '../../../base/src/core/platform.js';
import type { SpinPolicy } from '../lib/adaptive_wait.js';
import type { WorkerBoot, WorkerMessage } from '../lib/kernel_messages.js';
import { isToken, type Token } from '../lib/token.js';
import type { LinuxPd } from './pd.js';
import { loadProgram } from '../../../base/src/loader/program.js';
import { boundGlobals } from '../../../base/src/loader/sandbox.js';
import { LINUX_COMPARTMENT } from '../lib/compartment.js';
import { kernelTargets } from '../targets.js';
import { WORKER_BOOTSTRAP, loaderBoot, type LoaderBoot } from './worker_loader.js';
import { heapExhausted, workerLimits } from './worker_limits.js';
import { loadingSlot } from './worker_starts.js';
const DIAG_MAX = 2000;
const ACCESSES: readonly unknown[] = ['read', 'write', 'exec'];

export interface Supervisor {
  /** `thread`: the calling thread as the worker names it (core checks it is one of the PD's). */
  resolve(pd: LinuxPd, seq: number, token: Token, thread?: number): void;
  diag(pd: LinuxPd, text: string): void;
  /** A page fault of the worker (address and access checked). */
  pageFault(pd: LinuxPd, seq: number, addr: number, access: MemoryAccess): void;
  /** A register access of the worker (numbers checked). */
  mmio(pd: LinuxPd, seq: number, addr: number, width: number, write: boolean, value: number): void;
  /** The worker ended by itself: `reason` for the log, `code` as the component's exit value. */
  ended(pd: LinuxPd, reason: string, code: number): void;
  /** The worker exists now (it was waiting for a loading slot before). */
  workerStarted(pd: LinuxPd): void;
}

/** The start-up library linked into every linux program. */
const START_URL = new URL('../lib/startup.js', import.meta.url).href;
let bound: string[] | undefined;

/*
 * Workers get the host's garbage collector (in their loader's realm, which no component
 * reaches): one collection after loading returns what loading left behind. The flag
 * applies to isolates created from now on.
 */
let gcExposed = false;
function exposeGc(): void {
  if (!gcExposed) setFlagsFromString('--expose-gc');
  gcExposed = true;
}

/** Checks one message of `pd`'s worker and hands it to core; a worker is not trusted. */
export function takeWorkerMessage(pd: LinuxPd, sup: Supervisor, m: unknown): void {
  const msg = m as WorkerMessage;
  if (msg && msg.t === 'resolve' && Number.isSafeInteger(msg.seq) && isToken(msg.token)) {
    sup.resolve(pd, msg.seq, msg.token, Number.isSafeInteger(msg.thread) ? msg.thread : undefined);
  } else if (msg && msg.t === 'fault' && Number.isSafeInteger(msg.seq)) {
    const { seq, addr, access } = msg;
    if (!Number.isSafeInteger(addr) || addr < 0 || !ACCESSES.includes(access)) pd.post({ t: 'fault-done', seq, error: 'malformed page fault' });
    else sup.pageFault(pd, seq, addr, access);
  } else if (msg && msg.t === 'mmio' && Number.isSafeInteger(msg.seq)) {
    const { seq, addr, width, value } = msg;
    if (!Number.isSafeInteger(addr) || addr < 0 || !Number.isSafeInteger(width) || !Number.isSafeInteger(value)) pd.post({ t: 'mmio-done', seq, result: MmioError.BAD_ACCESS });
    else sup.mmio(pd, seq, addr, width, msg.write === true, value);
  } else if (msg && msg.t === 'loaded') {
    /* taken by the worker host */
  } else if (msg && msg.t === 'diag' && typeof msg.text === 'string') {
    sup.diag(pd, msg.text.length > DIAG_MAX ? `${msg.text.slice(0, DIAG_MAX)}...` : msg.text);
  } else {
    sup.diag(pd, 'Warning: malformed message to core ignored');
  }
}

export class WorkerHost {
  private worker: Worker | undefined;
  /** Core ends it (PD destroyed, watchdog): no crash report. */
  private stopping = false;
  private done = false;
  /** Gives the loading slot back (worker_starts.ts): once loaded or ended. */
  private freeSlot = () => {};

  /**
   * Links the binary's program image (core's loader, as on every kernel), then starts the
   * worker with it; a binary that does not link ends the component as a crash would.
   */
  constructor(private readonly pd: LinuxPd, binary: LoadedBinary, sp: number, spin: SpinPolicy | undefined, private readonly sup: Supervisor) {
    bound ??= boundGlobals(LINUX_COMPARTMENT);
    /* linked first, then a loading slot (worker_starts.ts), then the loader as it is by then (with the code cache once there is one) */
    loadProgram(binary.name, binary.url, START_URL, bound).then(async (image) => {
      const free = await loadingSlot();
      this.freeSlot = free;
      const loader = await loaderBoot();
      if (this.stopping || this.done) {
        loader.cachePort?.close();
        return free();
      }
      this.spawn(binary, image.source, sp, spin, loader);
    }).catch((e: Error) => this.end(`cannot load binary "${binary.name}": ${e.message}`, -1));
  }

  private spawn(binary: LoadedBinary, source: string, sp: number, spin: SpinPolicy | undefined, loader: LoaderBoot): void {
    const pd = this.pd;
    const boot: WorkerBoot = {
      label: pd.label, binary: { name: binary.name, source }, sp, parent: pd.parent,
      control: pd.controlSab, port: pd.workerPort, spin,
      hostClock: Object.values(kernelTargets).includes(binary.url),
    };
    exposeGc();
    const transferList = loader.cachePort ? [pd.workerPort, loader.cachePort] : [pd.workerPort];
    const limits = workerLimits(binary.ramQuota);
    const worker = new Worker(WORKER_BOOTSTRAP, {
      eval: true, workerData: { ...boot, loader }, transferList, name: pd.label, resourceLimits: limits,
    });
    this.worker = worker;
    this.sup.workerStarted(pd);
    worker.on('message', (m: unknown) => this.take(m));
    worker.on('error', (e: unknown) => {
      const err = e as Error & { code?: unknown };
      if (err?.code === 'ERR_WORKER_OUT_OF_MEMORY') this.end(heapExhausted(limits, binary.ramQuota), -1);
      else this.end(`uncaught ${err?.name ?? 'Error'}: ${err?.message ?? String(e)}`, -1);
    });
    worker.on('exit', (code) => this.end(`the component's worker exited with code ${code}`, code));
  }

  private take(m: unknown): void {
    if ((m as WorkerMessage | undefined)?.t === 'loaded') this.freeSlot();
    takeWorkerMessage(this.pd, this.sup, m);
  }

  private end(reason: string, code: number): void {
    this.freeSlot();
    if (this.done) return;
    this.done = true;
    if (!this.stopping) this.sup.ended(this.pd, reason, code);
  }

  get running(): boolean {
    return !this.done;
  }

  /** Ends the worker without a crash report. */
  terminate(): Promise<void> {
    this.stopping = true;
    if (!this.worker) {
      this.done = true;
      return Promise.resolve();
    }
    return this.worker.terminate().then(() => {});
  }
}
