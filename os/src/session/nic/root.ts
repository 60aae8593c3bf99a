/*
 * The server side of NIC sessions (Genode's Nic::Session_component with its Root), the base
 * nic_drv, nic_bridge and nic_loopback build on. A session component is the sink of the
 * client's tx stream and the source of its rx stream; what the server does with frames is
 * its `NicSessionHandler`'s business.
 *
 * tx: per wake-up a bounded batch of descriptors is taken (so a flooding client cannot hold
 * the server in one loop; more work comes back through the signal queue). Descriptors outside
 * the bulk buffer or overlapping one in flight are dropped unacknowledged (their payload
 * cannot be trusted) with a log line; frames of a size no Ethernet frame has (14..1514 bytes)
 * are acknowledged without being sent, also logged. Frames are handed to the handler in order;
 * a handler returning a promise holds the packet until it settles (back-pressure).
 *
 * rx: `deliver` puts a frame into the client's stream if there is room (a card drops frames
 * when the host does not take them), `deliverWait` waits for room (a loopback or a bridge
 * passing back-pressure on). Acknowledgements from the client are checked against what was
 * submitted: a client can neither free what it was not given nor keep the server waiting
 * beyond its own session.
 */
import type { Capability } from '../../../../base/src/capability.js';
import { BadArgument } from '../../../../base/src/errors.js';
import type { Env } from '../../../../base/src/lib/env.js';
import { RootComponent, type SessionContext } from '../../../../base/src/lib/root_component.js';
import type { SignalHandler } from '../../../../base/src/lib/signal.js';
import { numberArg } from '../../../../base/src/session/args.js';
import type { Dataspace } from '../../../../base/src/session/dataspace/session.js';
import type { SignalContext } from '../../../../base/src/session/signal/session.js';
import type { Log } from '../../lib/log.js';
import { KeptCaps } from '../../lib/kept_caps.js';
import { BatchRunner } from '../../lib/packet_stream/batch_runner.js';
import { RefusalLog } from '../../lib/packet_stream/refusal_log.js';
import { PacketStreamSink, PacketStreamSource, streamLayout } from '../../lib/packet_stream/stream.js';
import { SessionDataspace } from '../../lib/session_dataspace.js';
import { checkFrame, nicPacketCodec, type NicPacket } from './packet.js';
import { NicSession } from './session.js';

/** What a NIC server does with one session. */
export interface NicSessionHandler {
  /** The MAC address the client sends from. */
  readonly mac: Uint8Array;
  /**
   * A frame the client sent (checked: 14..1514 bytes). `frame` lies in the shared buffer and
   * is valid until the call (or the promise it returns) settles: copy to keep it.
   */
  transmit(frame: Uint8Array): void | Promise<void>;
  /** The session closed (the handler drops its references to it). */
  closed?(): void | Promise<void>;
}

/** Creates the handler of a new session, or throws refusing it (policy, no MAC left, ...). */
export type NicSessionFactory = (ctx: SessionContext, session: NicSessionComponent) => NicSessionHandler | Promise<NicSessionHandler>;

/** Descriptors taken per wake-up (then the session signals itself for the rest). */
export const BATCH = 32;
/** Refusals logged one by one per session; after that, summaries at powers of two. */
const LOGGED_REFUSALS = 16;
export const MAX_BUF_SIZE = 16 * 1024 * 1024;

export interface NicSessionStats {
  /** Frames the client sent that went to the handler. */
  sent: number;
  /** Frames the client sent that were refused (bad descriptor or size). */
  refused: number;
  /** Frames put into the client's rx stream. */
  delivered: number;
  /** Frames for the client dropped for want of room in its rx stream. */
  rxDropped: number;
}

function bufSizeArg(ctx: SessionContext, key: string): number {
  const size = numberArg(ctx.args, key, NicSession.DEFAULT_BUF_SIZE);
  if (!Number.isSafeInteger(size) || size <= 0 || size > MAX_BUF_SIZE) throw new BadArgument(`Nic session "${ctx.label}": ${key}=${size} is out of range (1..${MAX_BUF_SIZE})`);
  const layout = streamLayout(Math.ceil(size / 4096) * 4096, NicSession.QUEUE_SLOTS, nicPacketCodec);
  if (layout.bulkSize < NicSession.PACKET_SIZE) throw new BadArgument(`Nic session "${ctx.label}": ${key}=${size} leaves no room for one frame`);
  return size;
}

export class NicSessionComponent implements NicSession {
  private txSink!: PacketStreamSink<NicPacket>;
  private rxSource!: PacketStreamSource<NicPacket>;
  private readonly handlers: SignalHandler[] = [];
  private txAvail!: SignalHandler;
  /** Signal contexts the client installs are kept (a bounded number: re-installing releases old ones). */
  private readonly kept: KeptCaps;
  private linkSigh: Capability<SignalContext> | undefined;
  private up = true;
  /** The tx batches (destroy waits for the running one: the handler may hold a frame). */
  private readonly runner = new BatchRunner(() => this.batch());
  private closed = false;
  private readonly refusals: RefusalLog;
  /** deliverWait callers waiting for room in the rx stream. */
  private roomWaiters: (() => void)[] = [];
  handler!: NicSessionHandler;
  readonly stats: NicSessionStats = { sent: 0, refused: 0, delivered: 0, rxDropped: 0 };

  private constructor(
    private readonly env: Env,
    readonly label: string,
    private readonly txBuf: SessionDataspace,
    private readonly rxBuf: SessionDataspace,
    private readonly log: Log,
  ) {
    this.kept = new KeptCaps(env, 16);
    this.refusals = new RefusalLog(label, LOGGED_REFUSALS);
  }

  static async create(env: Env, ctx: SessionContext, log: Log, factory: NicSessionFactory): Promise<NicSessionComponent> {
    const txSize = bufSizeArg(ctx, 'tx_buf_size');
    const rxSize = bufSizeArg(ctx, 'rx_buf_size');
    ctx.quota.caps.withdraw(4); // the four signal contexts
    /* both dataspaces are paid from the client's donation (InsufficientRamQuota otherwise) */
    const txBuf = await SessionDataspace.create(env, ctx.quota, txSize);
    let rxBuf: SessionDataspace | undefined;
    let s: NicSessionComponent | undefined;
    try {
      rxBuf = await SessionDataspace.create(env, ctx.quota, rxSize);
      s = new NicSessionComponent(env, ctx.label, txBuf, rxBuf, log);
      const me = s;
      me.txSink = new PacketStreamSink(txBuf.bytes, NicSession.QUEUE_SLOTS, nicPacketCodec, (cap) => env.submit(cap));
      me.rxSource = new PacketStreamSource(rxBuf.bytes, NicSession.QUEUE_SLOTS, nicPacketCodec, (cap) => env.submit(cap));
      me.txAvail = await env.signalHandler(() => me.wake());
      me.handlers.push(me.txAvail);
      me.handlers.push(await env.signalHandler(() => me.wake())); // tx ready_to_ack
      me.handlers.push(await env.signalHandler(() => me.rxProgress())); // rx ready_to_submit
      me.handlers.push(await env.signalHandler(() => me.rxProgress())); // rx ack_avail
      me.handler = await factory(ctx, me);
    } catch (e) {
      /* nothing of a session that was not created stays behind */
      if (s) for (const h of s.handlers) await h.dispose();
      await rxBuf?.destroy();
      await txBuf.destroy();
      throw e;
    }
    return s;
  }

  /* ------------------------------------------------------------ RPC functions */

  macAddress = async (): Promise<Uint8Array> => this.handler.mac.slice();
  linkState = async (): Promise<boolean> => this.up;
  linkStateSigh = async (sigh: Capability<SignalContext>): Promise<void> => {
    this.kept.keep(sigh);
    this.linkSigh = sigh;
  };

  txDataspace = async (): Promise<Capability<Dataspace>> => this.txBuf.ds;
  txPacketAvail = async (): Promise<Capability<SignalContext>> => this.handlers[0].cap;
  txReadyToAck = async (): Promise<Capability<SignalContext>> => this.handlers[1].cap;
  txSighReadyToSubmit = async (sigh: Capability<SignalContext>): Promise<void> => {
    this.kept.keep(sigh);
    this.txSink.readyToSubmit.cap = sigh;
  };
  txSighAckAvail = async (sigh: Capability<SignalContext>): Promise<void> => {
    this.kept.keep(sigh);
    this.txSink.ackAvail.cap = sigh;
    /* packets may be waiting already */
    void this.wake();
  };

  rxDataspace = async (): Promise<Capability<Dataspace>> => this.rxBuf.ds;
  rxReadyToSubmit = async (): Promise<Capability<SignalContext>> => this.handlers[2].cap;
  rxAckAvail = async (): Promise<Capability<SignalContext>> => this.handlers[3].cap;
  rxSighPacketAvail = async (sigh: Capability<SignalContext>): Promise<void> => {
    this.kept.keep(sigh);
    this.rxSource.packetAvail.cap = sigh;
    /* frames delivered before the client was ready wait in the queue: tell it */
    if (this.rxSource.pending > 0) this.rxSource.packetAvail.fire();
  };
  rxSighReadyToAck = async (sigh: Capability<SignalContext>): Promise<void> => {
    this.kept.keep(sigh);
    this.rxSource.readyToAck.cap = sigh;
  };

  /* ------------------------------------------------------------ server side */

  get linkUp(): boolean {
    return this.up;
  }

  /** Sets the link state the client sees, signalling it on a change. */
  setLinkState(up: boolean): void {
    if (up === this.up || this.closed) return;
    this.up = up;
    if (this.linkSigh) void this.env.submit(this.linkSigh);
  }

  /** Puts a frame into the client's rx stream; false (and counted) if there is no room now. */
  deliver(frame: Uint8Array): boolean {
    if (this.closed) return false;
    this.collectAcks();
    if (this.rxSource.readyToSubmit()) {
      const d = this.rxSource.allocPacket(frame.length);
      if (d) {
        this.rxSource.content(d).set(frame);
        this.rxSource.submitPacket(d);
        this.stats.delivered++;
        return true;
      }
    }
    this.stats.rxDropped++;
    return false;
  }

  /** Delivers a frame, waiting for room in the client's rx stream; false if the session closed meanwhile. */
  async deliverWait(frame: Uint8Array): Promise<boolean> {
    for (;;) {
      if (this.closed) return false;
      this.collectAcks();
      if (this.rxSource.readyToSubmit()) {
        const d = this.rxSource.allocPacket(frame.length);
        if (d) {
          this.rxSource.content(d).set(frame);
          this.rxSource.submitPacket(d);
          this.stats.delivered++;
          return true;
        }
      }
      await new Promise<void>((resolve) => this.roomWaiters.push(resolve));
    }
  }

  /** Frees the rx packets the client acknowledged; bogus acknowledgements are logged. */
  private collectAcks(): void {
    for (;;) {
      const r = this.rxSource.getAckedPacket((d, why) => this.refuse(`rx ${why}`));
      if (!r) return;
      this.rxSource.releasePacket(r.submitted);
    }
  }

  private rxProgress(): void {
    this.collectAcks();
    const waiters = this.roomWaiters;
    this.roomWaiters = [];
    for (const w of waiters) w();
    void this.flushLog();
  }

  private wake(): Promise<void> | void {
    return this.runner.wake();
  }

  private refuse(what: string): void {
    this.refusals.refuse(what);
  }

  private flushLog(): Promise<void> {
    return this.refusals.flush(this.log);
  }

  private async batch(): Promise<void> {
    this.refusals.queueState(this.txSink.queueProblem(), 'tx stream');
    const packets = this.txSink.takePackets(BATCH, (_d, why) => {
      this.stats.refused++;
      this.refuse(`tx packet (dropped): ${why}`);
    });
    for (const p of packets) {
      const why = checkFrame(p.size);
      if (why) {
        this.stats.refused++;
        this.refuse(`tx packet (acknowledged, not sent): ${why}`);
      } else {
        try {
          const r = this.handler.transmit(this.txSink.content(p));
          if (r) await r;
          this.stats.sent++;
        } catch (e) {
          this.refusals.warn(`frame not sent: ${e instanceof Error ? e.message : String(e)}`);
        }
      }
      if (this.closed) return;
      if (!this.txSink.ackPacket(p)) this.refuse('to acknowledge a tx packet: the ack queue is broken');
    }
    await this.flushLog();
    /* more to do: come back through the signal queue instead of looping here */
    if (this.txSink.packetAvail() && this.txSink.capacity() > 0 && !this.closed) await this.env.submit(this.txAvail.cap);
  }

  async destroy(): Promise<void> {
    this.closed = true;
    const waiters = this.roomWaiters;
    this.roomWaiters = [];
    for (const w of waiters) w();
    await this.runner.stop();
    await this.handler?.closed?.();
    for (const h of this.handlers) await h.dispose();
    this.kept.releaseAll();
    await this.rxBuf.destroy();
    await this.txBuf.destroy();
  }
}

/** A Root for NIC sessions (Genode's Nic::Root): the factory gives each session its handler. */
export class NicRoot extends RootComponent<NicSession> {
  readonly sessions = new Set<NicSessionComponent>();

  constructor(env: Env, private readonly log: Log, private readonly factory: NicSessionFactory) {
    super(env, NicSession, NicSession.service);
  }

  protected async createSession(ctx: SessionContext): Promise<NicSession> {
    const s = await NicSessionComponent.create(this.env, ctx, this.log, this.factory);
    this.sessions.add(s);
    return s;
  }

  protected override async destroySession(session: NicSession): Promise<void> {
    const s = session as NicSessionComponent;
    this.sessions.delete(s);
    await s.destroy();
  }
}
