/*
 * The serving side of an entrypoint: the channels of its clients, the tokens it serves,
 * and the loop that takes requests one at a time (a Genode entrypoint is single-threaded;
 * its objects never see two requests at once).
 *
 * The receiving side checks every token: a request whose destination this entrypoint does
 * not serve (forged, never granted, or revoked since the client resolved it) gets an
 * INVALID_CAP status, never reaches a handler.
 */
import { writeErrorReply } from '../../../base/src/rpc/dispatch.js';
import { resetMsg, type MsgBuffer } from '../../../base/src/rpc/msgbuf.js';
import { ReplyCode } from '../../../base/src/rpc/protocol.js';
import { MsgWriter, str } from '../../../base/src/rpc/types.js';
import type { RequestHandler } from '../../../base/src/lib/runtime.js';
import type { Waiter } from './adaptive_wait.js';
import { ChStatus, MAX_CAPS, PAYLOAD_WORDS } from './channel_layout.js';
import { ChannelBuffer } from './message_buffer.js';
import type { Token } from './token.js';

const errText = str(160);

export class EndpointServer {
  private readonly channels = new Map<number, ChannelBuffer>();
  private readonly served = new Map<Token, number | string>();
  private readonly doorbell: Int32Array;
  private handler: RequestHandler | undefined;
  private stopped = false;
  requests = 0;
  /** The request being served, copied out of the channel. */
  private readonly own: MsgBuffer = privateMsg();

  /**
   * `beforeWait` runs before the loop sleeps: in a worker it applies pending kernel
   * messages, so a channel core handed over is served without another event-loop turn.
   */
  constructor(
    doorbell: SharedArrayBuffer,
    private readonly waiter: Waiter,
    private readonly report: (text: string) => void,
    private readonly beforeWait: () => void = () => {},
  ) {
    this.doorbell = new Int32Array(doorbell, 0, 1);
  }

  addChannel(id: number, sab: SharedArrayBuffer): void {
    this.channels.set(id, new ChannelBuffer(sab));
    /* a request may have been written before the channel reached us: look again */
    this.ring();
  }

  dropChannel(id: number): void {
    this.channels.delete(id);
  }

  serve(token: Token, key: number | string): void {
    this.served.set(token, key);
  }

  unserve(token: Token): void {
    this.served.delete(token);
  }

  start(handler: RequestHandler): void {
    if (this.handler) throw new Error('entrypoint already started');
    this.handler = handler;
    void this.run();
  }

  stop(): void {
    this.stopped = true;
    this.ring();
  }

  private ring(): void {
    Atomics.add(this.doorbell, 0, 1);
    Atomics.notify(this.doorbell, 0);
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      const seen = Atomics.load(this.doorbell, 0);
      /* one pass over all channels, a request at a time; awaits only the handler itself */
      let any = false;
      for (const ch of this.channels.values()) {
        if (this.stopped) break;
        if (!ch.claim()) continue;
        any = true;
        const key = this.accept(ch);
        if (key === undefined) continue;
        /* the handler reads a private copy: the client can still write the channel (no double fetch) */
        copyMsg(ch.msg, this.own);
        try {
          await this.handler!(key, this.own);
        } catch (e) {
          this.failed(this.own, e);
        }
        copyMsg(this.own, ch.msg);
        ch.sendReply(ChStatus.OK);
      }
      if (any) continue;
      this.beforeWait();
      if (Atomics.load(this.doorbell, 0) !== seen) continue;
      const r = this.waiter.until(this.doorbell, 0, (v) => v !== seen);
      if (typeof r !== 'number') await r;
    }
  }

  /** The key of the request's destination, or undefined after refusing a token it does not serve. */
  private accept(ch: ChannelBuffer): number | string | undefined {
    this.requests++;
    const dst = ch.takeRequest();
    if (ch.malformed !== undefined) {
      writeErrorReply(ch.msg, `request refused: ${ch.malformed}`);
      ch.sendReply(ChStatus.OK);
      return undefined;
    }
    const key = dst === undefined ? undefined : this.served.get(dst);
    if (key === undefined) {
      resetMsg(ch.msg);
      ch.sendReply(ChStatus.INVALID_CAP);
    }
    return key;
  }

  /** Handlers reply with errors themselves; an exception here is a bug in the glue: answer, keep serving. */
  private failed(msg: MsgBuffer, e: unknown): void {
    this.report(`Error: entrypoint handler failed: ${(e as Error)?.message ?? e}`);
    resetMsg(msg);
    const w = new MsgWriter(msg);
    w.word(ReplyCode.ERROR);
    errText.write(w, 'the server failed to handle the request');
  }
}

function privateMsg(): MsgBuffer {
  const words = new Uint32Array(PAYLOAD_WORDS);
  return { words, bytes: new Uint8Array(words.buffer), length: 0, caps: [], maxCaps: MAX_CAPS };
}

function copyMsg(from: MsgBuffer, to: MsgBuffer): void {
  const n = Math.min(from.length, to.words.length);
  to.words.set(from.words.subarray(0, n));
  to.length = n;
  to.caps.length = 0;
  for (let i = 0; i < from.caps.length && i < to.maxCaps; i++) to.caps.push(from.caps[i]);
}
