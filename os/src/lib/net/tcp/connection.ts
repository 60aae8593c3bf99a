/*
 * One TCP connection (RFC 793 with RFC 1122, 5681, 5961 and 6298 updates): the state
 * machine, the sliding window in both directions with flow control (receive window from
 * the free receive buffer, send window from the peer, zero-window probing), congestion
 * control (slow start, congestion avoidance, fast retransmit on three duplicate ACKs),
 * retransmission with the RTO from measured RTTs, delayed ACKs, reassembly of out-of-order segments,
 * orderly close through FIN and TIME_WAIT, and RST handling. It is also the TcpSocket
 * the application holds.
 */
import type { NetClock } from '../clock.js';
import { ByteQueue } from '../byte_queue.js';
import { formatAddress } from '../ipv4_address.js';
import { SocketError, type Endpoint, type SocketErrorCode, type TcpSocket } from '../socket.js';
import type { TcpOptions } from './options.js';
import { RtoEstimator } from './rto.js';
import { ACK, FIN, PSH, RST, SYN, type SegmentFields, type TcpSegment } from './segment.js';
import { seqAdd, seqDiff, seqGe, seqGt, seqLe, seqLt } from './seq.js';
import { synchronized, type TcpState } from './state.js';

/** What a connection needs from the stack. */
export interface TcpHost {
  readonly clock: NetClock;
  readonly tcp: TcpOptions;
  localAddress(): number;
  /** Builds the segment (checksum over the pseudo header) and sends it to `dst`. */
  transmit(dst: number, s: SegmentFields): void;
  /** The connection is CLOSED: forget it. */
  release(c: TcpConnection): void;
}

/** Told when a passively opened connection becomes established or dies before that. */
export interface PassiveOpener {
  established(c: TcpConnection): void;
  forget(c: TcpConnection): void;
}

interface Waiter<T> { ok: (v: T) => void; fail: (e: Error) => void }

const DEFAULT_PEER_MSS = 536;

export class TcpConnection implements TcpSocket {
  state: TcpState = 'CLOSED';
  private iss = 0;
  private sndUna = 0;
  private sndNxt = 0;
  /** The highest sequence number sent so far (sndNxt goes back to sndUna on retransmission). */
  private sndMax = 0;
  private sndWnd = 0;
  private sndWl1 = 0;
  private sndWl2 = 0;
  private rcvNxt = 0;
  private lastAdvertised = 0;
  private sendMss = DEFAULT_PEER_MSS;
  private cwnd = 0;
  private ssthresh = 0xffffffff;
  private dupAcks = 0;
  private readonly sendBuf = new ByteQueue();
  private readonly recvBuf = new ByteQueue();
  private readonly outOfOrder = new Map<number, { data: Uint8Array; fin: boolean }>();
  /** shutdown() or close() was called: FIN goes after the queued data. */
  private finQueued = false;
  /** Sequence number of our FIN once sent. */
  private finSeq: number | undefined;
  private finAcked = false;
  private peerFin = false;
  private closeCalled = false;
  private ended = false;
  private error: SocketError | undefined;
  private readonly rto = new RtoEstimator();
  private rtxTimer: number | undefined;
  private stateTimer: number | undefined;
  /** In-order segments received and not yet acknowledged (delayed ACK), and its timer. */
  private unackedSegments = 0;
  private delayedAckTimer: number | undefined;
  private retries = 0;
  private rttSeq: number | undefined;
  private rttStart = 0;
  private readers: Array<Waiter<void>> = [];
  private writers: Array<Waiter<void>> = [];
  private closers: Array<() => void> = [];
  private connectWaiter: Waiter<TcpConnection> | undefined;
  /** Segments counted for statistics and tests. */
  retransmissions = 0;

  constructor(
    private readonly host: TcpHost,
    readonly localPort: number,
    readonly remoteAddress: number,
    readonly remotePort: number,
    private opener?: PassiveOpener,
  ) {}

  get key(): string {
    return connectionKey(this.remoteAddress, this.remotePort, this.localPort);
  }

  get local(): Endpoint {
    return { address: formatAddress(this.host.localAddress()), port: this.localPort };
  }

  get remote(): Endpoint {
    return { address: formatAddress(this.remoteAddress), port: this.remotePort };
  }

  private get opts(): TcpOptions {
    return this.host.tcp;
  }

  private receiveWindow(): number {
    return Math.max(0, Math.min(0xffff, this.opts.receiveBuffer - this.recvBuf.length));
  }

  /* ---- opening ---- */

  /** Active open: sends SYN; resolves once ESTABLISHED. */
  open(iss: number): Promise<TcpConnection> {
    this.iss = iss;
    this.sndUna = iss;
    this.sndNxt = seqAdd(iss, 1);
    this.sndMax = this.sndNxt;
    this.state = 'SYN_SENT';
    this.sendSyn();
    this.armRtx();
    return new Promise((ok, fail) => { this.connectWaiter = { ok, fail }; });
  }

  /** Passive open from a listener's SYN: answers SYN-ACK, state SYN_RECEIVED. */
  accept(iss: number, syn: TcpSegment): void {
    this.iss = iss;
    this.sndUna = iss;
    this.sndNxt = seqAdd(iss, 1);
    this.sndMax = this.sndNxt;
    this.rcvNxt = seqAdd(syn.seq, 1);
    this.takePeerOptions(syn);
    this.state = 'SYN_RECEIVED';
    this.sendSyn();
    this.armRtx();
  }

  /**
   * Passive open from the ACK of a SYN-cookie handshake: ESTABLISHED at once, the MSS from
   * the cookie (the SYN's other options are gone, as with Linux's cookies without timestamps).
   */
  acceptCookie(ack: TcpSegment, mss: number): void {
    this.iss = (ack.ack - 1) >>> 0;
    this.sndUna = ack.ack;
    this.sndNxt = ack.ack;
    this.sndMax = ack.ack;
    this.rcvNxt = ack.seq;
    this.sendMss = Math.min(this.opts.mss, mss);
    this.cwnd = 10 * this.sendMss;
    this.sndWnd = ack.window;
    this.sndWl1 = ack.seq;
    this.sndWl2 = ack.ack;
    this.state = 'ESTABLISHED';
    this.opener = undefined;
  }

  private takePeerOptions(s: TcpSegment): void {
    this.sendMss = Math.min(this.opts.mss, s.mss ?? DEFAULT_PEER_MSS);
    this.cwnd = 10 * this.sendMss; // RFC 6928 initial window
    this.sndWnd = s.window;
    this.sndWl1 = s.seq;
    this.sndWl2 = s.ack;
  }

  private sendSyn(): void {
    const synAck = this.state === 'SYN_RECEIVED';
    this.send({ seq: this.iss, ack: synAck ? this.rcvNxt : 0, flags: synAck ? SYN | ACK : SYN, mss: this.opts.mss });
  }

  /* ---- segment arrival (RFC 793 section 3.9, SEGMENT ARRIVES) ---- */

  segment(s: TcpSegment): void {
    switch (this.state) {
      case 'CLOSED':
      case 'LISTEN':
        return;
      case 'SYN_SENT':
        return this.segmentSynSent(s);
      default:
        return this.segmentSynchronized(s);
    }
  }

  private segmentSynSent(s: TcpSegment): void {
    const hasAck = (s.flags & ACK) !== 0;
    if (hasAck && (seqLe(s.ack, this.iss) || seqGt(s.ack, this.sndMax))) {
      if (!(s.flags & RST)) this.send({ seq: s.ack, ack: 0, flags: RST });
      return;
    }
    if (s.flags & RST) {
      if (hasAck) this.fail('ECONNREFUSED', `connection to ${formatAddress(this.remoteAddress)}:${this.remotePort} refused`);
      return;
    }
    if (!(s.flags & SYN)) return;
    this.rcvNxt = seqAdd(s.seq, 1);
    this.takePeerOptions(s);
    if (hasAck) {
      this.sndUna = s.ack;
      this.rttSample(s.ack);
      this.stopRtx();
      this.retries = 0;
      this.state = 'ESTABLISHED';
      this.sendAck();
      const w = this.connectWaiter;
      this.connectWaiter = undefined;
      w?.ok(this);
    } else {
      // Simultaneous open.
      this.state = 'SYN_RECEIVED';
      this.sendSyn();
    }
  }

  private segmentSynchronized(s: TcpSegment): void {
    let seq = s.seq;
    let data = s.payload;
    let fin = (s.flags & FIN) !== 0;
    const segLen = data.length + (fin ? 1 : 0) + (s.flags & SYN ? 1 : 0);
    const wnd = this.receiveWindow();

    // The peer retransmitted its SYN: our SYN-ACK was lost (its sequence number is just old).
    if (this.state === 'SYN_RECEIVED' && (s.flags & (SYN | ACK | RST)) === SYN && seqAdd(seq, 1) === this.rcvNxt) {
      this.sendSyn();
      return;
    }

    // 1. Sequence number acceptable?
    const endSeq = seqAdd(seq, Math.max(segLen, 1) - 1);
    const acceptable = segLen === 0
      ? (wnd === 0 ? seq === this.rcvNxt : seqGe(seq, this.rcvNxt) && seqLt(seq, seqAdd(this.rcvNxt, wnd)))
      : wnd > 0 && (
        (seqGe(seq, this.rcvNxt) && seqLt(seq, seqAdd(this.rcvNxt, wnd))) ||
        (seqGe(endSeq, this.rcvNxt) && seqLt(endSeq, seqAdd(this.rcvNxt, wnd))));
    if (!acceptable) {
      // Zero window: still take the ACK and window update of a probe (RFC 1122 4.2.2.17).
      if (wnd === 0 && !(s.flags & RST) && (s.flags & ACK) && this.state !== 'SYN_RECEIVED') this.processAck(s);
      if (!(s.flags & RST)) this.sendAck();
      return;
    }

    // 2. RST: only exactly at rcvNxt resets; elsewhere in the window gets a challenge ACK (RFC 5961).
    if (s.flags & RST) {
      if (seq !== this.rcvNxt) return this.sendAck();
      if (this.state === 'SYN_RECEIVED' && this.opener) return this.terminate();
      if (this.state === 'TIME_WAIT' || this.state === 'CLOSING' || this.state === 'LAST_ACK') return this.terminate();
      return this.fail('ECONNRESET', `connection reset by ${formatAddress(this.remoteAddress)}:${this.remotePort}`);
    }

    // 3. A SYN in a synchronized state: challenge ACK (RFC 5961 section 4).
    if (s.flags & SYN) return this.sendAck();

    // 4. ACK.
    if (!(s.flags & ACK)) return;
    if (this.state === 'SYN_RECEIVED') {
      if (!seqGt(s.ack, this.sndUna) || seqGt(s.ack, this.sndMax)) {
        this.send({ seq: s.ack, ack: 0, flags: RST });
        return;
      }
      this.sndUna = seqAdd(this.iss, 1);
      this.rttSample(s.ack);
      this.stopRtx();
      this.retries = 0;
      this.state = 'ESTABLISHED';
      this.sndWnd = s.window;
      this.sndWl1 = s.seq;
      this.sndWl2 = s.ack;
      const opener = this.opener;
      this.opener = undefined;
      if (opener) opener.established(this);
      else {
        const w = this.connectWaiter;
        this.connectWaiter = undefined;
        w?.ok(this);
      }
      if (this.state !== 'ESTABLISHED') return;
    }
    if (!this.processAck(s)) return;
    if (this.state === 'CLOSED') return;

    // 5. Text: trim to what is new and fits the window.
    if (seqLt(seq, this.rcvNxt)) {
      const skip = seqDiff(this.rcvNxt, seq);
      if (skip > data.length) { data = data.subarray(data.length); fin = false; } // all old, FIN too
      else data = data.subarray(skip);
      seq = this.rcvNxt;
    }
    const room = seqDiff(seqAdd(this.rcvNxt, wnd), seq);
    if (data.length > room) { data = data.subarray(0, Math.max(0, room)); fin = false; }
    if (data.length === 0 && !fin) return;
    if (this.state !== 'ESTABLISHED' && this.state !== 'FIN_WAIT_1' && this.state !== 'FIN_WAIT_2') {
      // The peer already sent FIN: nothing more may arrive (a retransmission gets an ACK).
      return this.sendAck();
    }
    if (seq === this.rcvNxt) {
      const filling = this.outOfOrder.size > 0;
      this.receive(data, fin);
      this.drainOutOfOrder();
      // In-order data alone may wait; a FIN, or a segment filling a gap, is acknowledged at once (RFC 5681 4.2).
      if (!fin && !filling && !this.peerFin) return this.delayAck();
    } else if (this.outOfOrder.size < this.opts.maxOutOfOrder && !this.outOfOrder.has(seq)) {
      this.outOfOrder.set(seq, { data: data.slice(), fin });
    }
    this.sendAck(); // out of order: the duplicate ACK goes at once, for the sender's fast retransmit
  }

  /** Acknowledges every second segment at once, a lone one after delayedAckMs (if nothing of ours carried the ACK before). */
  private delayAck(): void {
    const ms = Math.min(this.opts.delayedAckMs, 200);
    if (ms <= 0 || ++this.unackedSegments >= 2) return this.sendAck();
    this.delayedAckTimer ??= this.host.clock.after(ms, () => {
      this.delayedAckTimer = undefined;
      if (this.unackedSegments > 0 && this.state !== 'CLOSED') this.sendAck();
    });
  }

  private stopDelayedAck(): void {
    this.unackedSegments = 0;
    if (this.delayedAckTimer !== undefined) this.host.clock.cancel(this.delayedAckTimer);
    this.delayedAckTimer = undefined;
  }

  /** Returns false if the segment is to be dropped. */
  private processAck(s: TcpSegment): boolean {
    if (seqGt(s.ack, this.sndMax)) {
      this.sendAck(); // acknowledges something not yet sent
      return false;
    }
    const acked = seqDiff(s.ack, this.sndUna);
    if (acked > 0) {
      const dataAcked = Math.min(acked, this.sendBuf.length);
      this.sendBuf.drop(dataAcked);
      this.sndUna = s.ack;
      if (seqLt(this.sndNxt, this.sndUna)) this.sndNxt = this.sndUna;
      if (this.finSeq !== undefined && seqGt(s.ack, this.finSeq)) this.finAcked = true;
      this.rttSample(s.ack);
      this.rto.acked();
      this.retries = 0;
      if (this.dupAcks >= 3) this.cwnd = this.ssthresh; // fast recovery ends
      // Slow start counts bytes (RFC 3465, L = 2 SMSS): a delayed ACK covers two segments.
      else if (this.cwnd < this.ssthresh) this.cwnd += Math.min(acked, 2 * this.sendMss);
      else this.cwnd += Math.max(1, Math.floor(this.sendMss * this.sendMss / this.cwnd));
      this.dupAcks = 0;
      this.stopRtx();
      if (seqDiff(this.sndMax, this.sndUna) > 0) this.armRtx();
      this.wakeWriters();
    } else if (acked === 0 && s.payload.length === 0 && !(s.flags & FIN) && s.window === this.sndWnd &&
      seqDiff(this.sndMax, this.sndUna) > 0) {
      if (++this.dupAcks === 3) this.fastRetransmit();
      else if (this.dupAcks > 3) this.cwnd += this.sendMss;
    }
    // Window update (RFC 793: only from segments newer than the last one that updated it).
    if (seqLt(this.sndWl1, s.seq) || (this.sndWl1 === s.seq && seqLe(this.sndWl2, s.ack))) {
      this.sndWnd = s.window;
      this.sndWl1 = s.seq;
      this.sndWl2 = s.ack;
    }
    if (this.finAcked) {
      if (this.state === 'FIN_WAIT_1') {
        this.state = 'FIN_WAIT_2';
        this.wakeClosers();
        if (this.closeCalled) this.startStateTimer(this.opts.finWait2Ms);
      } else if (this.state === 'CLOSING') {
        this.enterTimeWait();
        this.wakeClosers();
      } else if (this.state === 'LAST_ACK') {
        this.terminate();
        return false;
      }
    }
    this.output();
    return true;
  }

  private rttSample(ack: number): void {
    if (this.rttSeq !== undefined && seqGe(ack, this.rttSeq)) {
      this.rto.sample(this.host.clock.now() - this.rttStart);
      this.rttSeq = undefined;
    }
  }

  private receive(data: Uint8Array, fin: boolean): void {
    if (data.length > 0) {
      if (!this.closeCalled) this.recvBuf.push(data);
      this.rcvNxt = seqAdd(this.rcvNxt, data.length);
      this.wakeReaders();
    }
    if (fin) this.receiveFin();
  }

  private drainOutOfOrder(): void {
    for (let progress = true; progress && this.outOfOrder.size > 0 && !this.peerFin;) {
      progress = false;
      for (const [seq, seg] of this.outOfOrder) {
        if (seqGt(seq, this.rcvNxt)) continue;
        this.outOfOrder.delete(seq);
        const skip = seqDiff(this.rcvNxt, seq);
        if (skip < seg.data.length) this.receive(seg.data.subarray(skip), seg.fin);
        else if (skip === seg.data.length && seg.fin) this.receive(seg.data.subarray(0, 0), true);
        progress = true;
      }
    }
  }

  private receiveFin(): void {
    if (this.peerFin) return;
    this.peerFin = true;
    this.rcvNxt = seqAdd(this.rcvNxt, 1);
    this.outOfOrder.clear();
    this.wakeReaders();
    switch (this.state) {
      case 'SYN_RECEIVED':
      case 'ESTABLISHED':
        this.state = 'CLOSE_WAIT';
        break;
      case 'FIN_WAIT_1':
        if (this.finAcked) this.enterTimeWait();
        else this.state = 'CLOSING';
        break;
      case 'FIN_WAIT_2':
        this.enterTimeWait();
        break;
      default:
        break;
    }
  }

  private enterTimeWait(): void {
    this.state = 'TIME_WAIT';
    this.stopRtx();
    this.wakeClosers();
    this.startStateTimer(this.opts.timeWaitMs);
  }

  private startStateTimer(ms: number): void {
    if (this.stateTimer !== undefined) this.host.clock.cancel(this.stateTimer);
    this.stateTimer = this.host.clock.after(ms, () => {
      this.stateTimer = undefined;
      this.terminate();
    });
  }

  /* ---- sending ---- */

  private send(f: Omit<SegmentFields, 'srcPort' | 'dstPort' | 'window'>): void {
    const window = this.receiveWindow();
    if (f.flags & ACK) {
      this.lastAdvertised = window;
      this.stopDelayedAck(); // this segment carries the ACK
    }
    this.host.transmit(this.remoteAddress, { srcPort: this.localPort, dstPort: this.remotePort, window, ...f });
  }

  private sendAck(): void {
    this.send({ seq: this.sndNxt, ack: this.rcvNxt, flags: ACK });
  }

  /** Sends what the windows allow; `probe` forces one byte into a zero window. */
  private output(probe = false): void {
    if (!synchronized(this.state) || this.state === 'SYN_RECEIVED' || this.state === 'TIME_WAIT') return;
    for (;;) {
      const offset = seqDiff(this.sndNxt, this.sndUna);
      const available = this.sendBuf.length - offset;
      if (available > 0) {
        const window = Math.min(this.sndWnd, this.cwnd);
        let usable = window - offset;
        if (usable <= 0) {
          if (!probe) {
            if (this.sndWnd === 0 && offset === 0) this.armRtx(); // persist timer
            return;
          }
          usable = 1;
        }
        probe = false;
        const n = Math.min(this.sendMss, available, usable);
        // Sender silly-window avoidance: hold back a small segment while data is in flight.
        if (n < this.sendMss && n < available && offset > 0) return;
        const last = n === available;
        const fin = last && this.finQueued && n < usable;
        const payload = this.sendBuf.peek(offset, n);
        const seq = this.sndNxt;
        if (seq === this.sndMax && this.rttSeq === undefined) {
          this.rttSeq = seqAdd(seq, n);
          this.rttStart = this.host.clock.now();
        }
        if (seqLt(seq, this.sndMax)) this.retransmissions++;
        this.send({ seq, ack: this.rcvNxt, flags: ACK | (last ? PSH : 0) | (fin ? FIN : 0), payload });
        this.sndNxt = seqAdd(seq, n + (fin ? 1 : 0));
        if (fin) this.finSeq = seqAdd(seq, n);
        if (seqGt(this.sndNxt, this.sndMax)) this.sndMax = this.sndNxt;
        this.armRtx();
        if (fin) return;
        continue;
      }
      if (available === 0 && this.finQueued) {
        const seq = this.sndNxt;
        this.finSeq = seq;
        if (seqLt(seq, this.sndMax)) this.retransmissions++;
        this.send({ seq, ack: this.rcvNxt, flags: FIN | ACK });
        this.sndNxt = seqAdd(seq, 1);
        if (seqGt(this.sndNxt, this.sndMax)) this.sndMax = this.sndNxt;
        this.armRtx();
      }
      return;
    }
  }

  private fastRetransmit(): void {
    const flight = seqDiff(this.sndMax, this.sndUna);
    this.ssthresh = Math.max(Math.floor(flight / 2), 2 * this.sendMss);
    this.cwnd = this.ssthresh + 3 * this.sendMss;
    this.rttSeq = undefined;
    this.resendFirst();
  }

  /** Resends the oldest unacknowledged segment without rewinding sndNxt. */
  private resendFirst(): void {
    const n = Math.min(this.sendMss, this.sendBuf.length);
    if (n > 0) {
      const fin = this.finSeq !== undefined && n === this.sendBuf.length;
      this.retransmissions++;
      this.send({ seq: this.sndUna, ack: this.rcvNxt, flags: ACK | (fin ? FIN : 0), payload: this.sendBuf.peek(0, n) });
    } else if (this.finSeq !== undefined) {
      this.retransmissions++;
      this.send({ seq: this.sndUna, ack: this.rcvNxt, flags: FIN | ACK });
    }
  }

  private armRtx(): void {
    if (this.rtxTimer !== undefined) return;
    this.rtxTimer = this.host.clock.after(this.rto.rto, () => {
      this.rtxTimer = undefined;
      this.retransmitTimeout();
    });
  }

  private stopRtx(): void {
    if (this.rtxTimer === undefined) return;
    this.host.clock.cancel(this.rtxTimer);
    this.rtxTimer = undefined;
  }

  private retransmitTimeout(): void {
    const handshake = this.state === 'SYN_SENT' || this.state === 'SYN_RECEIVED';
    const zeroWindowProbe = !handshake && this.sndWnd === 0 && this.sendBuf.length > 0;
    if (!zeroWindowProbe) this.retries++;
    if (this.retries > (handshake ? this.opts.synRetries : this.opts.maxRetries)) {
      if (this.state === 'SYN_RECEIVED' && this.opener) return this.terminate();
      return this.fail('ETIMEDOUT', `no answer from ${formatAddress(this.remoteAddress)}:${this.remotePort}`);
    }
    this.rto.expired();
    this.rttSeq = undefined;
    if (handshake) {
      this.sendSyn();
      this.retransmissions++;
      this.armRtx();
      return;
    }
    if (seqDiff(this.sndMax, this.sndUna) > 0) {
      const flight = seqDiff(this.sndMax, this.sndUna);
      this.ssthresh = Math.max(Math.floor(flight / 2), 2 * this.sendMss);
      this.cwnd = this.sendMss;
      this.dupAcks = 0;
      this.sndNxt = this.sndUna; // go back: resend from the oldest unacknowledged byte
    }
    this.output(zeroWindowProbe);
    if (seqDiff(this.sndMax, this.sndUna) > 0 || zeroWindowProbe) this.armRtx();
  }

  /* ---- the application's side ---- */

  async write(data: Uint8Array): Promise<void> {
    let off = 0;
    while (off < data.length) {
      this.checkWritable();
      const room = this.opts.sendBuffer - this.sendBuf.length;
      if (room <= 0) {
        await new Promise<void>((ok, fail) => this.writers.push({ ok, fail }));
        continue;
      }
      const n = Math.min(room, data.length - off);
      this.sendBuf.push(data.subarray(off, off + n));
      off += n;
      this.output();
    }
  }

  private checkWritable(): void {
    if (this.error) throw this.error;
    if (this.finQueued || this.state === 'CLOSED') throw new SocketError('EPIPE', 'socket is shut down for writing');
  }

  async read(max = 65536): Promise<Uint8Array> {
    if (!Number.isSafeInteger(max) || max <= 0) throw new SocketError('EINVAL', `read size ${max}`);
    for (;;) {
      if (this.recvBuf.length > 0) {
        const d = this.recvBuf.take(max);
        this.windowUpdate();
        return d;
      }
      if (this.peerFin) return new Uint8Array(0);
      if (this.error) throw this.error;
      if (this.state === 'CLOSED' || this.closeCalled) throw new SocketError('ECLOSED', 'socket is closed');
      await new Promise<void>((ok, fail) => this.readers.push({ ok, fail }));
    }
  }

  /** After the application read: tell the peer the window opened if that matters (RFC 1122 4.2.3.3). */
  private windowUpdate(): void {
    if (!synchronized(this.state) || this.peerFin) return;
    const w = this.receiveWindow();
    if (w - this.lastAdvertised >= Math.min(this.opts.receiveBuffer / 2, 2 * this.opts.mss)) this.sendAck();
  }

  async shutdown(): Promise<void> {
    if (this.error) throw this.error;
    if (this.finQueued) return;
    this.finQueued = true;
    this.wakeWriters();
    if (this.state === 'ESTABLISHED') this.state = 'FIN_WAIT_1';
    else if (this.state === 'CLOSE_WAIT') this.state = 'LAST_ACK';
    this.output();
  }

  async close(): Promise<void> {
    if (this.closeCalled) return;
    this.closeCalled = true;
    this.recvBuf.clear();
    this.wakeReaders();
    if (this.state === 'CLOSED') return;
    if (this.state === 'SYN_SENT') return this.terminate();
    if (!this.finQueued) await this.shutdown().catch(() => undefined);
    if (this.state === 'FIN_WAIT_2') this.startStateTimer(this.opts.finWait2Ms);
    if (this.finAcked || (this.state as TcpState) === 'CLOSED') return;
    await new Promise<void>((ok) => this.closers.push(ok));
  }

  abort(): void {
    if (this.state === 'CLOSED') return;
    if (synchronized(this.state)) this.send({ seq: this.sndNxt, ack: this.rcvNxt, flags: RST | ACK });
    this.error ??= new SocketError('ECLOSED', 'socket aborted');
    this.closeCalled = true;
    this.terminate();
  }

  /* ---- ending ---- */

  /** The connection failed: every waiting operation gets `code`. */
  fail(code: SocketErrorCode, message: string): void {
    this.error = new SocketError(code, message);
    this.terminate();
  }

  /** To CLOSED: timers off, waiters woken, the stack forgets the connection. */
  terminate(): void {
    if (this.ended) return;
    this.ended = true;
    this.state = 'CLOSED';
    this.stopRtx();
    this.stopDelayedAck();
    if (this.stateTimer !== undefined) this.host.clock.cancel(this.stateTimer);
    this.stateTimer = undefined;
    this.sendBuf.clear();
    this.outOfOrder.clear();
    const err = this.error ?? new SocketError('ECLOSED', 'connection closed');
    const w = this.connectWaiter;
    this.connectWaiter = undefined;
    w?.fail(err);
    for (const r of this.readers.splice(0)) r.ok();
    for (const r of this.writers.splice(0)) r.ok();
    this.wakeClosers();
    this.opener?.forget(this);
    this.opener = undefined;
    this.host.release(this);
  }

  private wakeReaders(): void {
    for (const r of this.readers.splice(0)) r.ok();
  }

  private wakeWriters(): void {
    for (const w of this.writers.splice(0)) w.ok();
  }

  private wakeClosers(): void {
    for (const c of this.closers.splice(0)) c();
  }
}

export function connectionKey(remoteAddress: number, remotePort: number, localPort: number): string {
  return `${remoteAddress}:${remotePort}:${localPort}`;
}
