/*
 * The calling side of linux IPC: find the channel to the entrypoint that serves the
 * destination token (asking core once per token), marshal into that channel, ring the
 * server's doorbell and wait for the reply. Calls through one channel are serialised in
 * order. A further thread's caller makes one call at a time, as a Genode thread does; the
 * main thread's calls to different servers may overlap (it has always been so here).
 */
import type { Capability } from '../../../base/src/capability.js';
import { ThreadHold } from '../../../base/src/util/thread_hold.js';
import { InvalidCapability, IpcError } from '../../../base/src/errors.js';
import type { IpcCaller } from '../../../base/src/rpc/client.js';
import type { MsgBuffer } from '../../../base/src/rpc/msgbuf.js';
import { Mutex } from '../../../base/src/util/mutex.js';
import type { Waiter } from './adaptive_wait.js';
import { LinuxCapability, tokenOf } from './capability.js';
import { Ch, ChState, ChStatus } from './channel_layout.js';
import { ChannelBuffer } from './message_buffer.js';
import { shortToken, type Token } from './token.js';

const replied = (v: number): boolean => v === ChState.REPLY || v === ChState.DEAD;

/** A client's end of one channel. */
export class Connection {
  readonly buf: ChannelBuffer;
  readonly doorbell: Int32Array;
  readonly lock = new Mutex();
  constructor(readonly id: number, channel: SharedArrayBuffer, doorbell: SharedArrayBuffer, readonly waiter: Waiter) {
    this.buf = new ChannelBuffer(channel);
    this.doorbell = new Int32Array(doorbell, 0, 1);
  }
}

/** Finds the connection for a token; throws InvalidCapability if core knows no such object. */
export type Resolver = (token: Token) => Connection | Promise<Connection>;

export class LinuxCaller implements IpcCaller {
  private readonly byToken = new Map<Token, Connection>();

  /**
   * `afterReply` runs once a reply is in: core may have changed this component's mappings
   * or capabilities while serving the call, and the caller must see that before it goes on.
   */
  /** `oneAtATime`: the caller is one thread, whose calls wait for each other. */
  constructor(private readonly resolver: Resolver, private readonly afterReply: () => void = () => {}, oneAtATime = false) {
    this.own = oneAtATime ? new Mutex() : undefined;
  }

  private readonly own: Mutex | undefined;
  /** The thread's pause state: core's pause holds its next call and the return of one in flight. */
  readonly hold = new ThreadHold();

  private held(): Promise<void> | undefined {
    return this.hold.held ? new Promise<void>((r) => this.hold.pass(r)) : undefined;
  }

  private async resolve(token: Token): Promise<Connection> {
    const c = await this.resolver(token);
    this.byToken.set(token, c);
    return c;
  }

  /** Forgets what this side cached about a token (the component dropped the capability). */
  forget(token: Token): void {
    this.byToken.delete(token);
  }

  /** Drops a capability that arrived in a reply and was not taken: a token only costs its connection. */
  release(cap: Capability<unknown>): void {
    const token = tokenOf(cap);
    if (token !== undefined) this.forget(token);
  }

  async call<R>(dst: Capability<unknown>, fill: (msg: MsgBuffer) => void, take: (msg: MsgBuffer) => R): Promise<R> {
    if (!this.own) return this.callOn(dst, fill, take);
    const wait = this.own.acquire();
    if (wait) await wait;
    try {
      const entry = this.held();
      if (entry) await entry;
      const r = await this.callOn(dst, fill, take);
      const exit = this.held();
      if (exit) await exit;
      return r;
    } finally {
      this.own.release();
    }
  }

  private async callOn<R>(dst: Capability<unknown>, fill: (msg: MsgBuffer) => void, take: (msg: MsgBuffer) => R): Promise<R> {
    const cap = dst.native;
    if (!(cap instanceof LinuxCapability)) throw new InvalidCapability(`not a linux capability: ${dst}`);
    const token = cap.token;
    const conn = this.byToken.get(token) ?? (await this.resolve(token));
    const wait = conn.lock.acquire();
    if (wait) await wait;
    try {
      const b = conn.buf;
      fill(b.beginRequest());
      if (!b.sendRequest(cap)) throw this.gone(token);
      Atomics.add(conn.doorbell, 0, 1);
      Atomics.notify(conn.doorbell, 0);
      const r = conn.waiter.until(b.ctl, Ch.STATE, replied);
      const st = typeof r === 'number' ? r : await r;
      if (st === ChState.DEAD) throw this.gone(token);
      const status = b.takeReply();
      this.afterReply();
      if (status === ChStatus.INVALID_CAP) {
        this.byToken.delete(token);
        throw new InvalidCapability(`token ${shortToken(token)} is not served by its entrypoint (revoked or never valid)`);
      }
      if (b.malformed !== undefined) throw new IpcError(`the reply of token ${shortToken(token)} is malformed: ${b.malformed}`);
      return take(b.msg);
    } finally {
      conn.lock.release();
    }
  }

  private gone(token: Token): IpcError {
    this.byToken.delete(token);
    return new IpcError(`call to token ${shortToken(token)} failed: the server is gone`);
  }
}
