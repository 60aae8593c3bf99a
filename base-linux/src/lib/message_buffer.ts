/*
 * A channel as a message buffer: the generic RPC code marshals straight into its payload
 * words; what this file adds is the linux "kernel" part of a message, the header with the
 * destination and the capabilities, which cross as tokens (never as objects).
 */
import type { NativeCapability } from '../../../base/src/capability.js';
import { writeErrorReply } from '../../../base/src/rpc/dispatch.js';
import { checkMessage, resetMsg, type MsgBuffer } from '../../../base/src/rpc/msgbuf.js';
import { LinuxCapability } from './capability.js';
import { CHANNEL_BYTES, Ch, ChState, type ChStatus, HEADER_WORDS, MAX_CAPS, PAYLOAD_WORDS } from './channel_layout.js';
import { TOKEN_WORDS, readToken, writeToken, type Token } from './token.js';

export class ChannelBuffer {
  /** The header as signed words, for Atomics.wait/notify. */
  readonly ctl: Int32Array;
  /** The header as unsigned words, for tokens. */
  private readonly hdr: Uint32Array;
  readonly msg: MsgBuffer;
  /** Why the last message read is unusable (its header's counts exceed the channel), or undefined. */
  malformed: string | undefined;
  private lastDst: Uint32Array | undefined;
  private lastDstToken: Token | undefined;

  static create(): SharedArrayBuffer {
    return new SharedArrayBuffer(CHANNEL_BYTES);
  }

  constructor(readonly sab: SharedArrayBuffer) {
    if (sab.byteLength !== CHANNEL_BYTES) throw new Error(`a channel is ${CHANNEL_BYTES} bytes, not ${sab.byteLength}`);
    this.ctl = new Int32Array(sab, 0, HEADER_WORDS);
    this.hdr = new Uint32Array(sab, 0, HEADER_WORDS);
    const words = new Uint32Array(sab, HEADER_WORDS * 4, PAYLOAD_WORDS);
    this.msg = { words, bytes: new Uint8Array(sab, HEADER_WORDS * 4, PAYLOAD_WORDS * 4), length: 0, caps: [], maxCaps: MAX_CAPS };
  }

  get state(): ChState {
    return Atomics.load(this.ctl, Ch.STATE);
  }

  /* ------------------------------------------------------------------ client side */

  beginRequest(): MsgBuffer {
    resetMsg(this.msg);
    return this.msg;
  }

  /** Publishes the request in `msg` for `dst`; false if the channel is dead. Throws if its counts are malformed. */
  sendRequest(dst: LinuxCapability): boolean {
    checkMessage(this.msg);
    this.hdr.set(dst.words, Ch.DST);
    this.writeCaps();
    return Atomics.compareExchange(this.ctl, Ch.STATE, ChState.IDLE, ChState.REQUEST) === ChState.IDLE;
  }

  /** Reads the reply into `msg` and frees the channel for the next call. */
  takeReply(): ChStatus {
    const status = this.hdr[Ch.STATUS]! as ChStatus;
    this.readInto();
    Atomics.compareExchange(this.ctl, Ch.STATE, ChState.REPLY, ChState.IDLE);
    return status;
  }

  /* ------------------------------------------------------------------ server side */

  /** Claims a pending request; false if there is none. */
  claim(): boolean {
    return Atomics.compareExchange(this.ctl, Ch.STATE, ChState.REQUEST, ChState.SERVING) === ChState.REQUEST;
  }

  /** Reads a claimed request into `msg`; returns its destination token. */
  takeRequest(): Token | undefined {
    this.readInto();
    /* clients call the same object again and again: reuse the string if the words match */
    const h = this.hdr;
    const l = this.lastDst;
    if (l && h[Ch.DST] === l[0] && h[Ch.DST + 1] === l[1] && h[Ch.DST + 2] === l[2] && h[Ch.DST + 3] === l[3]) return this.lastDstToken;
    const t = readToken(h, Ch.DST);
    this.lastDst = h.slice(Ch.DST, Ch.DST + TOKEN_WORDS);
    this.lastDstToken = t;
    return t;
  }

  /** Publishes the reply in `msg` and wakes the client; a malformed reply becomes an error reply. */
  sendReply(status: ChStatus): void {
    try {
      checkMessage(this.msg);
    } catch (e) {
      writeErrorReply(this.msg, `the server's reply is malformed: ${(e as Error).message}`);
    }
    this.hdr[Ch.STATUS] = status;
    this.writeCaps();
    if (Atomics.compareExchange(this.ctl, Ch.STATE, ChState.SERVING, ChState.REPLY) === ChState.SERVING) {
      Atomics.notify(this.ctl, Ch.STATE);
    }
  }

  /** Core's side: nobody will ever answer or ask on this channel again. */
  kill(): void {
    Atomics.store(this.ctl, Ch.STATE, ChState.DEAD);
    Atomics.notify(this.ctl, Ch.STATE);
  }

  /* ------------------------------------------------------------------ both */

  private writeCaps(): void {
    const m = this.msg;
    this.hdr[Ch.LENGTH] = m.length;
    this.hdr[Ch.CAPS] = m.caps.length;
    for (let i = 0; i < m.caps.length; i++) {
      const c = m.caps[i];
      const at = Ch.CAP_SLOTS + i * TOKEN_WORDS;
      if (c instanceof LinuxCapability) this.hdr.set(c.words, at);
      else writeToken(this.hdr, at, undefined);
    }
  }

  /** The header's counts are the other side's word: counts beyond the channel make the message malformed. */
  private readInto(): void {
    const m = this.msg;
    const length = this.hdr[Ch.LENGTH]!;
    const count = this.hdr[Ch.CAPS]!;
    const caps: Array<NativeCapability | undefined> = m.caps;
    caps.length = 0;
    this.malformed = undefined;
    if (length > PAYLOAD_WORDS || count > MAX_CAPS) {
      this.malformed = `${length} words and ${count} capabilities exceed the channel's ${PAYLOAD_WORDS} words and ${MAX_CAPS} capabilities`;
      m.length = 0;
      return;
    }
    m.length = length;
    const n = count;
    for (let i = 0; i < n; i++) {
      const t = readToken(this.hdr, Ch.CAP_SLOTS + i * TOKEN_WORDS);
      caps.push(t === undefined ? undefined : new LinuxCapability(t));
    }
  }
}
