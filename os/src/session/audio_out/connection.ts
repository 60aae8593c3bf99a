/*
 * An Audio_out connection (Genode's Audio_out::Connection and Session_client): the session
 * for one channel with its stream attached, the progress and alloc signals counted so a
 * client can wait for them, and `submit`, which signals data_avail when the queue was empty.
 *
 *   const left = await AudioOutConnection.open(env, 'front left');
 *   await left.start();
 *   const p = left.stream.alloc();   // AllocFailed when full: await left.waitForAlloc()
 *   p.content(samples);
 *   await left.submit(p);
 */
import type { Capability } from '../../../../base/src/capability.js';
import { Connection, type ConnectionOptions } from '../../../../base/src/lib/connection.js';
import type { Client, Env } from '../../../../base/src/lib/env.js';
import type { SignalHandler } from '../../../../base/src/lib/signal.js';
import { Dataspace } from '../../../../base/src/session/dataspace/session.js';
import type { SignalContext } from '../../../../base/src/session/signal/session.js';
import { AudioOutSession } from './session.js';
import { AudioOutStream, STREAM_BYTES, type AudioOutPacket } from './stream.js';

export interface AudioOutConnectionOptions extends ConnectionOptions {
  /** Install the alloc signal (waitForAlloc / onAlloc); default true as in Genode. */
  allocSignal?: boolean;
  /** Install the progress signal (waitForProgress / onProgress); default false as in Genode. */
  progressSignal?: boolean;
}

export class AudioOutConnection {
  private progressFn: ((count: number) => void | Promise<void>) | undefined;
  private allocFn: ((count: number) => void | Promise<void>) | undefined;

  private constructor(
    readonly env: Env,
    readonly connection: Connection<AudioOutSession>,
    readonly channel: string,
    readonly stream: AudioOutStream,
    private readonly dataAvail: Capability<SignalContext>,
    private readonly progress: SignalHandler | undefined,
    private readonly allocated: SignalHandler | undefined,
  ) {}

  static async open(env: Env, channel: string, opts: AudioOutConnectionOptions = {}): Promise<AudioOutConnection> {
    const c = await Connection.open(env, AudioOutSession, {
      ...opts,
      ramQuota: opts.ramQuota ?? AudioOutSession.RAM_QUOTA,
      capQuota: opts.capQuota ?? AudioOutSession.CAP_QUOTA,
      args: { ...opts.args, channel },
    });
    const handlers: SignalHandler[] = [];
    try {
      const ds = await c.session.dataspace();
      const size = await env.rpc(Dataspace, ds).size();
      if (size < STREAM_BYTES) throw new Error(`Audio_out server gave a stream dataspace of ${size} bytes, ${STREAM_BYTES} needed`);
      const stream = new AudioOutStream(env.view(await env.attach(ds), size));
      const dataAvail = await c.session.dataAvailSigh();
      let me: AudioOutConnection | undefined;
      const progress = opts.progressSignal ? await env.signalHandler((n) => me?.progressFn?.(n)) : undefined;
      if (progress) handlers.push(progress);
      const allocated = opts.allocSignal ?? true ? await env.signalHandler((n) => me?.allocFn?.(n)) : undefined;
      if (allocated) handlers.push(allocated);
      me = new AudioOutConnection(env, c, channel, stream, dataAvail, progress, allocated);
      if (progress) await c.session.progressSigh(progress.cap);
      if (allocated) await c.session.allocSigh(allocated.cap);
      return me;
    } catch (e) {
      for (const h of handlers) await h.dispose();
      await c.close();
      throw e;
    }
  }

  get session(): Client<AudioOutSession> {
    return this.connection.session;
  }

  /** Starts playback and resets the tail to the playback position (as Genode's client does). */
  async start(): Promise<void> {
    await this.session.start();
    this.stream.reset();
  }

  stop(): Promise<void> {
    return this.session.stop();
  }

  /** Submits a filled packet; tells the server when the queue was empty before. */
  async submit(packet: AudioOutPacket): Promise<void> {
    const empty = this.stream.empty();
    packet.markSubmitted();
    if (empty) await this.env.submit(this.dataAvail);
  }

  /**
   * Submits one packet per connection (the channels of one period) so that the server sees
   * all of them valid before it is told: one by one, a server on another CPU could take the
   * left packet a period before the right one arrives.
   */
  static async submitTogether(connections: readonly AudioOutConnection[], packets: readonly AudioOutPacket[]): Promise<void> {
    const empty = connections.map((c) => c.stream.empty());
    for (const p of packets) p.markSubmitted();
    for (let i = 0; i < connections.length; i++) if (empty[i]) await connections[i]!.env.submit(connections[i]!.dataAvail);
  }

  /** Progress signals received so far (0 without a progress signal). */
  get progressCount(): number {
    return this.progress?.received ?? 0;
  }

  get allocCount(): number {
    return this.allocated?.received ?? 0;
  }

  /** Resolves with the next progress signal after `seen` (default: the ones received so far). */
  waitForProgress(seen = this.progressCount): Promise<void> {
    if (!this.progress) throw new Error('Audio_out: the progress signal is not installed (progressSignal: true)');
    return this.progress.whenReceived(seen + 1);
  }

  /** Resolves with the next alloc signal after `seen`: room in a queue that was full. */
  waitForAlloc(seen = this.allocCount): Promise<void> {
    if (!this.allocated) throw new Error('Audio_out: the alloc signal is not installed (allocSignal: true)');
    return this.allocated.whenReceived(seen + 1);
  }

  /** Calls `fn` for every progress delivery. */
  onProgress(fn: (count: number) => void | Promise<void>): void {
    if (!this.progress) throw new Error('Audio_out: the progress signal is not installed (progressSignal: true)');
    this.progressFn = fn;
  }

  onAlloc(fn: (count: number) => void | Promise<void>): void {
    if (!this.allocated) throw new Error('Audio_out: the alloc signal is not installed (allocSignal: true)');
    this.allocFn = fn;
  }

  async close(): Promise<void> {
    await this.progress?.dispose();
    await this.allocated?.dispose();
    this.env.runtime.release(this.dataAvail);
    await this.connection.close();
  }
}
