/*
 * The server side of an Audio_out session (Genode's Audio_out::Session_rpc_object): the
 * stream dataspace paid from the session's quota, the client's progress and alloc contexts,
 * the server's data_avail context, and the started/stopped state. A server (audio_drv, a
 * mixer) takes packets with `take` and hands them back with `played`; both keep the
 * position on the server's side and never wait for the client, so a client that stops
 * feeding or scribbles on the stream costs only its own sound.
 */
import type { Capability } from '../../../../base/src/capability.js';
import type { Env } from '../../../../base/src/lib/env.js';
import type { SessionContext } from '../../../../base/src/lib/root_component.js';
import type { SignalContext } from '../../../../base/src/session/signal/session.js';
import { SessionDataspace } from '../../lib/session_dataspace.js';
import type { AudioOutSession } from './session.js';
import { AudioOutServerStream, PERIOD, STREAM_BYTES, type AudioOutPacket } from './stream.js';

export class AudioOutSessionComponent implements AudioOutSession {
  private progressCap: Capability<SignalContext> | undefined;
  private allocCap: Capability<SignalContext> | undefined;
  private stopped = true;
  /** Periods played from the client's packets, and periods it had nothing for while started. */
  readonly stats = { played: 0, underruns: 0 };

  private constructor(
    private readonly env: Env,
    readonly label: string,
    readonly channel: string,
    private readonly ds: SessionDataspace,
    readonly stream: AudioOutServerStream,
    private readonly dataAvailCap: Capability<SignalContext>,
  ) {}

  /**
   * Allocates the stream from the session's quota (InsufficientRamQuota when the client
   * donated too little). `dataAvail` is the server's context for data_avail signals.
   */
  static async create(env: Env, ctx: SessionContext, channel: string, dataAvail: Capability<SignalContext>): Promise<AudioOutSessionComponent> {
    ctx.quota.caps.withdraw(1); // the data_avail context handed to the client
    const ds = await SessionDataspace.create(env, ctx.quota, STREAM_BYTES);
    return new AudioOutSessionComponent(env, ctx.label, channel, ds, new AudioOutServerStream(ds.bytes), dataAvail);
  }

  /* ------------------------------------------------------------ RPC functions */

  start = async () => {
    this.stopped = false;
  };

  stop = async () => {
    this.stopped = true;
  };

  dataspace = async () => this.ds.ds;

  progressSigh = async (cap: Capability<SignalContext>) => {
    this.env.ep.release(this.progressCap);
    this.progressCap = cap.valid ? cap : undefined;
  };

  allocSigh = async (cap: Capability<SignalContext>) => {
    this.env.ep.release(this.allocCap);
    this.allocCap = cap.valid ? cap : undefined;
  };

  dataAvailSigh = async () => this.dataAvailCap;

  /* ------------------------------------------------------------ server side */

  get active(): boolean {
    return !this.stopped;
  }

  progressSubmit(): void {
    if (this.progressCap) void this.env.submit(this.progressCap);
  }

  allocSubmit(): void {
    if (this.allocCap) void this.env.submit(this.allocCap);
  }

  /** The packet at the playback position if the session is started and the client submitted it. */
  take(): AudioOutPacket | undefined {
    return this.active ? this.stream.current() : undefined;
  }

  /**
   * Marks `packet` (from `take`) played and moves the position on; signals alloc if the
   * queue was full. Progress is signalled by the caller once per period for all channels.
   */
  played(packet: AudioOutPacket): void {
    const wasFull = this.stream.full();
    packet.invalidate();
    packet.markAsPlayed();
    this.stream.setPosition(packet.index + 1);
    this.stats.played++;
    if (wasFull) this.allocSubmit();
  }

  /** The client had no packet for a period while started. */
  underrun(): void {
    if (this.active) this.stats.underruns++;
  }

  /** The packet's samples into `into` (finite values only: anything else becomes silence). */
  static samples(packet: AudioOutPacket | undefined, into: number[]): number[] {
    if (!packet) return into.fill(0, 0, PERIOD);
    packet.samples(into);
    for (let i = 0; i < PERIOD; i++) if (!Number.isFinite(into[i])) into[i] = 0;
    return into;
  }

  /** Releases the kept contexts and frees the stream (the session is closed). */
  async destroy(): Promise<void> {
    this.env.ep.release(this.progressCap);
    this.env.ep.release(this.allocCap);
    this.progressCap = this.allocCap = undefined;
    await this.ds.destroy();
  }
}
