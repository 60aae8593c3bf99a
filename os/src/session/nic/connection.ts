/*
 * A NIC connection (Genode's Nic::Connection): the client's tx stream source and rx stream
 * sink over one NIC session. `send` copies a frame into the tx bulk buffer and submits it,
 * waiting (FIFO) while the buffer or the submit queue is full: back-pressure, never an
 * unbounded queue of frames beyond the callers waiting. Received frames go to the `onFrame`
 * handler and are acknowledged right after it returns. All of it is driven by signals,
 * never polling. The server is not trusted: rx descriptors outside the rx buffer, of sizes
 * no frame has, or acknowledgements of packets never sent are counted and skipped.
 *
 *   const nic = await NicConnection.open(env, { label: 'uplink' });
 *   nic.onFrame((frame) => ...);
 *   await nic.send(frame);
 */
import type { Capability } from '../../../../base/src/capability.js';
import { BadArgument } from '../../../../base/src/errors.js';
import { Connection, type ConnectionOptions } from '../../../../base/src/lib/connection.js';
import type { Client, Env } from '../../../../base/src/lib/env.js';
import type { SignalHandler } from '../../../../base/src/lib/signal.js';
import { Dataspace } from '../../../../base/src/session/dataspace/session.js';
import { PacketStreamSink, PacketStreamSource } from '../../lib/packet_stream/stream.js';
import { checkFrame, nicPacketCodec, type NicPacket } from './packet.js';
import { NicSession } from './session.js';

export interface NicConnectionOptions extends ConnectionOptions {
  /** Bytes of the tx stream's dataspace, donated as RAM quota. */
  txBufSize?: number;
  /** Bytes of the rx stream's dataspace, donated as RAM quota. */
  rxBufSize?: number;
}

export interface NicConnectionStats {
  sent: number;
  received: number;
  /** rx descriptors or tx acknowledgements the server got wrong. */
  bogus: number;
}

/** Frames taken from the rx stream per signal before coming back through the signal queue. */
const RX_BATCH = 64;

export class NicConnection {
  private readonly waiting: { frame: Uint8Array; done: (sent: boolean) => void }[] = [];
  /** Until there is a handler, received frames wait in the rx stream. */
  private frameHandler: ((frame: Uint8Array) => void) | undefined;
  private linkHandlers: ((up: boolean) => void)[] = [];
  private up: boolean;
  private closed = false;
  readonly stats: NicConnectionStats = { sent: 0, received: 0, bogus: 0 };

  private constructor(
    readonly env: Env,
    readonly connection: Connection<NicSession>,
    readonly session: Client<NicSession>,
    readonly mac: Uint8Array,
    up: boolean,
    /** The tx stream's source (exposed for tests that forge descriptors). */
    readonly tx: PacketStreamSource<NicPacket>,
    private readonly rx: PacketStreamSink<NicPacket>,
    private readonly handlers: SignalHandler[],
  ) {
    this.up = up;
  }

  static async open(env: Env, opts: NicConnectionOptions = {}): Promise<NicConnection> {
    const txBufSize = opts.txBufSize ?? NicSession.DEFAULT_BUF_SIZE;
    const rxBufSize = opts.rxBufSize ?? NicSession.DEFAULT_BUF_SIZE;
    const c = await Connection.open(env, NicSession, {
      ...opts,
      ramQuota: (opts.ramQuota ?? NicSession.RAM_QUOTA) + txBufSize + rxBufSize,
      capQuota: opts.capQuota ?? NicSession.CAP_QUOTA,
      args: { ...opts.args, tx_buf_size: txBufSize, rx_buf_size: rxBufSize },
    });
    const s = c.session;
    const mac = await s.macAddress();
    if (mac.length !== 6) throw new BadArgument(`Nic server gave a MAC address of ${mac.length} bytes`);
    const attach = async (ds: Capability<Dataspace>): Promise<Uint8Array> => {
      const size = await env.rpc(Dataspace, ds).size();
      return env.view(await env.attach(ds), size);
    };
    const submit = (cap: Capability<unknown>) => env.submit(cap as never);
    const tx = new PacketStreamSource<NicPacket>(await attach(await s.txDataspace()), NicSession.QUEUE_SLOTS, nicPacketCodec, submit);
    tx.packetAvail.cap = await s.txPacketAvail();
    tx.readyToAck.cap = await s.txReadyToAck();
    const rx = new PacketStreamSink<NicPacket>(await attach(await s.rxDataspace()), NicSession.QUEUE_SLOTS, nicPacketCodec, submit);
    rx.readyToSubmit.cap = await s.rxReadyToSubmit();
    rx.ackAvail.cap = await s.rxAckAvail();
    const handlers: SignalHandler[] = [];
    const n = new NicConnection(env, c, s, mac, await s.linkState(), tx, rx, handlers);
    handlers.push(await env.signalHandler(() => n.txProgress()));
    handlers.push(await env.signalHandler(() => n.txProgress()));
    handlers.push(await env.signalHandler(() => n.receive()));
    handlers.push(await env.signalHandler(() => n.receive()));
    handlers.push(await env.signalHandler(() => n.linkChanged()));
    await s.txSighAckAvail(handlers[0].cap);
    await s.txSighReadyToSubmit(handlers[1].cap);
    await s.rxSighReadyToAck(handlers[3].cap);
    await s.linkStateSigh(handlers[4].cap);
    /* last: from here on the server may signal frames */
    await s.rxSighPacketAvail(handlers[2].cap);
    return n;
  }

  get linkUp(): boolean {
    return this.up;
  }

  /** Where received frames go; a frame is only valid during the call. */
  onFrame(handler: (frame: Uint8Array) => void): void {
    this.frameHandler = handler;
    /* frames may have arrived before there was a handler */
    this.receive();
  }

  onLinkState(handler: (up: boolean) => void): void {
    this.linkHandlers.push(handler);
  }

  /**
   * Sends a frame (14..1514 bytes; BadArgument otherwise): resolves once it is submitted,
   * after waiting for room if the tx buffer or queue is full. False if the connection closed.
   */
  async send(frame: Uint8Array): Promise<boolean> {
    const why = checkFrame(frame.length);
    if (why) throw new BadArgument(`Nic send: ${why}`);
    if (this.closed) return false;
    this.collectAcks();
    /* earlier callers first */
    if (this.waiting.length === 0 && this.trySubmit(frame)) return true;
    return new Promise<boolean>((done) => this.waiting.push({ frame, done }));
  }

  private trySubmit(frame: Uint8Array): boolean {
    if (!this.tx.readyToSubmit()) return false;
    const d = this.tx.allocPacket(frame.length);
    if (!d) return false;
    this.tx.content(d).set(frame);
    this.tx.submitPacket(d);
    this.stats.sent++;
    return true;
  }

  /** Submitted frames the server has not acknowledged yet. */
  get txPending(): number {
    return this.tx.pending;
  }

  private collectAcks(): void {
    for (;;) {
      const r = this.tx.getAckedPacket(() => { this.stats.bogus++; });
      if (!r) return;
      this.tx.releasePacket(r.submitted);
    }
  }

  private txProgress(): void {
    this.collectAcks();
    while (this.waiting.length > 0 && this.trySubmit(this.waiting[0].frame)) this.waiting.shift()!.done(true);
  }

  private receive(): void {
    if (this.closed || !this.frameHandler) return;
    const frames = this.rx.takePackets(RX_BATCH, () => { this.stats.bogus++; });
    for (const d of frames) {
      if (checkFrame(d.size) === undefined) {
        this.stats.received++;
        try {
          this.frameHandler!(this.rx.content(d));
        } catch {
          /* the handler's fault must not stall the stream */
        }
      } else {
        this.stats.bogus++;
      }
      this.rx.ackPacket(d);
    }
    if (this.rx.packetAvail()) void this.env.submit(this.handlers[2].cap);
  }

  private async linkChanged(): Promise<void> {
    const up = await this.session.linkState();
    if (up === this.up) return;
    this.up = up;
    for (const h of this.linkHandlers) h(up);
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const w of this.waiting.splice(0)) w.done(false);
    for (const h of this.handlers) await h.dispose();
    await this.connection.close();
  }
}
