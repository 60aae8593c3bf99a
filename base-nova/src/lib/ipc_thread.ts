/*
 * A thread's IPC state on NOVA: its UTCB as a message buffer, the typed items that carry
 * capabilities, and the receive window for capabilities that arrive.
 */
import type { NativeCapability } from '../../../base/src/capability.js';
import { writeErrorReply } from '../../../base/src/rpc/dispatch.js';
import { checkMessage, type MsgBuffer } from '../../../base/src/rpc/msgbuf.js';
import {
  ALL_RIGHTS, CrdType, ItemFlags, NULL_CRD, PtRights, SmRights, UTCB_HEADER_WORDS, UTCB_WORDS, UtcbHeader,
  decodeCrd, encodeCrd, objCrd,
} from '../kernel/abi.js';
import type { EcRef, NovaSyscalls } from '../kernel/syscall_gate.js';
import { NovaCapability } from './capability.js';
import { RCV_WINDOW_ORDER, Selectors, XLT_WINDOW_ORDER } from './selectors.js';

export const MAX_CAPS = 1 << RCV_WINDOW_ORDER;
/** Untyped words: the UTCB minus its header and the space of the typed items. */
export const MAX_UNTYPED = UTCB_WORDS - UTCB_HEADER_WORDS - 2 * MAX_CAPS;

export class NovaIpcThread {
  readonly msg: MsgBuffer;
  private rcvBase = -1;

  constructor(
    private readonly sys: NovaSyscalls,
    readonly ec: EcRef,
    private readonly selectors: Selectors,
    readonly utcb: Uint32Array,
  ) {
    const words = utcb.subarray(UTCB_HEADER_WORDS, UTCB_HEADER_WORDS + MAX_UNTYPED);
    this.msg = {
      words,
      bytes: new Uint8Array(words.buffer, words.byteOffset, words.byteLength),
      length: 0,
      caps: [],
      maxCaps: MAX_CAPS,
    };
    /* translate finds what this PD holds anywhere in its selector space (Genode: Obj_crd(0, ~0)) */
    utcb[UtcbHeader.CRD_XLT] = encodeCrd(objCrd(0, XLT_WINDOW_ORDER));
    this.armReceiveWindow();
  }

  /** Offers a fresh receive window; with the selectors exhausted, none (capabilities arrive as invalid). */
  private armReceiveWindow(): void {
    const base = this.selectors.tryAlloc(RCV_WINDOW_ORDER);
    this.rcvBase = base ?? -1;
    this.utcb[UtcbHeader.CRD_RCV] = encodeCrd(base === undefined ? NULL_CRD : objCrd(base, RCV_WINDOW_ORDER));
  }

  /** The thread is gone: the unfilled selectors of its receive window go back. */
  dispose(): void {
    if (this.rcvBase < 0) return;
    for (let s = this.rcvBase; s < this.rcvBase + MAX_CAPS; s++) {
      if (!this.sys.kindOf(this.ec, s)) this.selectors.free(s);
    }
    this.rcvBase = -1;
  }

  /** Rights a capability keeps when passed on: the right to invoke it, nothing more. */
  private rightsFor(sel: number): number {
    switch (this.sys.kindOf(this.ec, sel)) {
      case 'PT': return PtRights.CALL;
      case 'SI': return SmRights.UP;
      default: return ALL_RIGHTS;
    }
  }

  /** Writes the UTCB header and typed items for the message in `msg`; throws if its counts are malformed. */
  prepareSend(): void {
    checkMessage(this.msg);
    const caps = this.msg.caps;
    const u = this.utcb;
    for (let i = 0; i < caps.length; i++) {
      const c = caps[i];
      const at = UTCB_WORDS - 2 * (i + 1);
      if (c instanceof NovaCapability) {
        u[at] = encodeCrd(objCrd(c.sel, 0, this.rightsFor(c.sel)));
        u[at + 1] = ItemFlags.TRANSLATE;
      } else {
        u[at] = 0;
        u[at + 1] = 0;
      }
    }
    u[UtcbHeader.ITEMS] = this.msg.length | (caps.length << 16);
  }

  /** Drops one holder of a selector that arrived here; the last revokes it. */
  release(sel: number): void {
    if (this.selectors.drop(sel)) this.sys.revoke(this.ec, objCrd(sel), true);
  }

  /**
   * Writes the reply in `msg` for sending; a reply whose counts are malformed (or whose
   * capabilities do not fit) becomes an error reply, so the caller always gets an answer.
   */
  prepareReply(): void {
    try {
      this.prepareSend();
    } catch (e) {
      writeErrorReply(this.msg, `the server's reply is malformed: ${(e as Error).message}`);
      this.prepareSend();
    }
  }

  /** Reads the header and typed items of a message that arrived in the UTCB. */
  afterReceive(): void {
    const u = this.utcb;
    const items = u[UtcbHeader.ITEMS]!;
    this.msg.length = Math.min(items & 0xffff, MAX_UNTYPED);
    /* the kernel bounds the items by the UTCB; every one is looked at, so none is lost in the window */
    const typed = Math.min(items >>> 16, (UTCB_WORDS - UTCB_HEADER_WORDS) / 2);
    const caps: Array<NativeCapability | undefined> = this.msg.caps;
    if (caps.length !== 0) caps.length = 0;
    if (typed === 0) {
      if (this.rcvBase < 0) this.armReceiveWindow();
      return;
    }
    let windowUsed = this.rcvBase < 0;
    for (let i = 0; i < typed; i++) {
      const crd = decodeCrd(u[UTCB_WORDS - 2 * (i + 1)]!);
      const fresh = crd.type === CrdType.OBJ && this.rcvBase >= 0 && crd.base >= this.rcvBase && crd.base < this.rcvBase + MAX_CAPS;
      if (fresh) windowUsed = true;
      if (i >= MAX_CAPS) {
        /* more than a message carries: what the kernel put into the window goes again */
        if (fresh) this.sys.revoke(this.ec, objCrd(crd.base), true);
        continue;
      }
      if (crd.type !== CrdType.OBJ) {
        caps.push(undefined);
        continue;
      }
      this.selectors.retain(crd.base, fresh);
      caps.push(new NovaCapability(crd.base));
    }
    if (windowUsed) {
      /* give back the window's unfilled selectors and open a fresh window */
      if (this.rcvBase >= 0) {
        for (let s = this.rcvBase; s < this.rcvBase + MAX_CAPS; s++) {
          if (!this.sys.kindOf(this.ec, s)) this.selectors.free(s);
        }
      }
      this.armReceiveWindow();
    }
  }
}
