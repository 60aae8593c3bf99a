/*
 * A PD's worker as core supervises it: creates the isolate with what the component's
 * start-up code needs, takes the worker's requests (token resolution, console output),
 * and notices when the worker ends other than by core's hand: an uncaught error or an
 * exit. Everything a worker sends is checked; a worker is not trusted.
 */
import { Worker } from 'node:worker_threads';
import type { LoadedBinary } from '../../../base/src/core/platform.js';
import type { SpinPolicy } from '../lib/adaptive_wait.js';
import type { WorkerBoot, WorkerMessage } from '../lib/kernel_messages.js';
import { isToken, type Token } from '../lib/token.js';
import type { LinuxPd } from './pd.js';

/** The worker side of the loader, next to this file's directory in the build. */
const WORKER_MAIN = new URL('../lib/worker_main.js', import.meta.url);
const DIAG_MAX = 2000;

export interface Supervisor {
  resolve(pd: LinuxPd, seq: number, token: Token): void;
  diag(pd: LinuxPd, text: string): void;
  /** The worker ended by itself: `reason` for the log, `code` as the component's exit value. */
  ended(pd: LinuxPd, reason: string, code: number): void;
}

export class WorkerHost {
  private readonly worker: Worker;
  /** Core ends it (PD destroyed, watchdog): no crash report. */
  private stopping = false;
  private done = false;

  constructor(private readonly pd: LinuxPd, binary: LoadedBinary, sp: number, spin: SpinPolicy | undefined, private readonly sup: Supervisor) {
    const boot: WorkerBoot = {
      label: pd.label, binary: { name: binary.name, url: binary.url }, sp, parent: pd.parent,
      control: pd.controlSab, port: pd.workerPort, spin,
    };
    this.worker = new Worker(WORKER_MAIN, { workerData: boot, transferList: [pd.workerPort], name: pd.label });
    this.worker.on('message', (m: unknown) => this.take(m));
    this.worker.on('error', (e: unknown) => {
      const err = e as Error;
      this.end(`uncaught ${err?.name ?? 'Error'}: ${err?.message ?? String(e)}`, -1);
    });
    this.worker.on('exit', (code) => this.end(`the component's worker exited with code ${code}`, code));
  }

  private take(m: unknown): void {
    const msg = m as WorkerMessage;
    if (msg && msg.t === 'resolve' && Number.isSafeInteger(msg.seq) && isToken(msg.token)) {
      this.sup.resolve(this.pd, msg.seq, msg.token);
    } else if (msg && msg.t === 'diag' && typeof msg.text === 'string') {
      this.sup.diag(this.pd, msg.text.length > DIAG_MAX ? `${msg.text.slice(0, DIAG_MAX)}...` : msg.text);
    } else {
      this.sup.diag(this.pd, 'Warning: malformed message to core ignored');
    }
  }

  private end(reason: string, code: number): void {
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
    return this.worker.terminate().then(() => {});
  }
}
