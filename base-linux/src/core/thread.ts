/*
 * A thread on linux. A PD's main thread is its worker: starting it with a binary creates
 * the isolate. An entrypoint thread lives inside that worker; starting it gives it a
 * doorbell and makes it an endpoint that RPC objects can be bound to. Other threads (the
 * signal thread) are bookkeeping: the worker's event loop runs them. A further thread is
 * a calling party of its own: its calls go through channels of its own, so they never
 * wait for the main thread's (or another thread's) call to the same server.
 */
import type { LoadedBinary, PlatformThread, PlatformThreadState } from '../../../base/src/core/platform.js';
import { ThreadKindCode } from '../../../base/src/core/platform.js';
import { DOORBELL_BYTES } from '../lib/channel_layout.js';
import type { Token } from '../lib/token.js';
import type { Endpoint, Party } from './endpoint.js';
import type { LinuxPd } from './pd.js';

export interface ThreadOwner {
  /** Creates the PD's worker running `binary`; false if it has one. */
  /** Starts the PD's worker; returns why it could not. */
  spawn(pd: LinuxPd, binary: LoadedBinary, sp: number): string | undefined;
  threadGone(t: LinuxThread): void;
}

export class LinuxThread implements PlatformThread, Endpoint, Party {
  readonly doorbell = new SharedArrayBuffer(DOORBELL_BYTES);
  started = false;
  /** This thread created the PD's worker. */
  isMain = false;

  constructor(readonly id: number, readonly pd: LinuxPd, readonly name: string, readonly kind: ThreadKindCode, private readonly host: ThreadOwner) {}

  /** Set once the thread is gone. */
  gone = false;

  get label(): string {
    return `${this.pd.label}:${this.name}`;
  }

  get alive(): boolean {
    return !this.gone && this.pd.alive;
  }

  /** The party that serves through this thread. */
  get owner(): LinuxPd {
    return this.pd;
  }

  private ip = 0;
  private sp = 0;
  private paused = false;

  /*
   * Genode's base-linux cannot pause a thread (a Linux process has no such call for
   * another's thread). Here core tells the worker, whose runtime holds the thread's next
   * call and the return of a call in flight, until resume.
   */
  pause(): string | undefined {
    return this.setPaused(true);
  }

  resume(): string | undefined {
    return this.setPaused(false);
  }

  private setPaused(paused: boolean): string | undefined {
    if (!this.started) return 'it is not started';
    if (!this.alive) return 'it is gone';
    if (this.isMain || this.kind === ThreadKindCode.ENTRYPOINT) return 'only a further thread of a component can be paused on linux';
    this.paused = paused;
    this.pd.post({ t: 'pause', thread: this.id, paused });
    return undefined;
  }

  state(): PlatformThreadState | undefined {
    if (!this.started || !this.alive) return undefined;
    return { paused: this.paused, held: 0, ip: this.ip, sp: this.sp };
  }

  start(ip: number, sp: number, binary?: LoadedBinary): string | undefined {
    if (this.started) return 'it is started already';
    this.ip = ip;
    this.sp = sp;
    if (this.pd.destroyed) return 'its PD is gone';
    if (binary) {
      const failed = this.host.spawn(this.pd, binary, sp);
      if (failed !== undefined) return failed;
      this.isMain = true;
    } else if (this.kind === ThreadKindCode.ENTRYPOINT) {
      this.pd.post({ t: 'ep', thread: this.id, sp, doorbell: this.doorbell });
    } else {
      this.pd.post({ t: 'thread', thread: this.id, sp });
    }
    this.started = true;
    return undefined;
  }

  destroy(): void {
    this.gone = true;
    this.host.threadGone(this);
  }

  /* ------------------------------------------------------------------ Endpoint */

  attach(channel: number, sab: SharedArrayBuffer): void {
    this.pd.post({ t: 'channel', thread: this.id, id: channel, sab });
  }

  detach(channel: number): void {
    this.pd.post({ t: 'drop-channel', thread: this.id, id: channel });
  }

  unserve(token: Token): void {
    this.pd.post({ t: 'unserve', thread: this.id, token });
  }
}
