/*
 * A thread's IPC state on NOVA: its UTCB as a message buffer, the typed items that carry
 * capabilities, and the receive window for capabilities that arrive.
 */
import type { NativeCapability } from '../../../base/src/capability.js';
import type { MsgBuffer } from '../../../base/src/rpc/msgbuf.js';
import {
  ALL_RIGHTS, CrdType, ItemFlags, PtRights, SmRights, UTCB_HEADER_WORDS, UTCB_WORDS, UtcbHeader,
  decodeCrd, encodeCrd, objCrd,
} from '../kernel/abi.js';
import type { EcRef, NovaSyscalls } from '../kernel/syscall_gate.js';
import { NovaCapability } from './capability.js';
import { RCV_WINDOW_ORDER, Selectors } from './selectors.js';

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
    this.armReceiveWindow();
  }

  private armReceiveWindow(): void {
    this.rcvBase = this.selectors.alloc(RCV_WINDOW_ORDER);
    this.utcb[UtcbHeader.CRD_RCV] = encodeCrd(objCrd(this.rcvBase, RCV_WINDOW_ORDER));
  }

  /** Rights a capability keeps when passed on: the right to invoke it, nothing more. */
  private rightsFor(sel: number): number {
    switch (this.sys.kindOf(this.ec, sel)) {
      case 'PT': return PtRights.CALL;
      case 'SI': return SmRights.UP;
      default: return ALL_RIGHTS;
    }
  }

  /** Writes the UTCB header and typed items for the message in `msg`. */
  prepareSend(): void {
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

  /** Reads the header and typed items of a message that arrived in the UTCB. */
  afterReceive(): void {
    const u = this.utcb;
    const items = u[UtcbHeader.ITEMS]!;
    this.msg.length = Math.min(items & 0xffff, MAX_UNTYPED);
    const typed = Math.min(items >>> 16, MAX_CAPS);
    const caps: Array<NativeCapability | undefined> = this.msg.caps;
    if (caps.length !== 0) caps.length = 0;
    if (typed === 0) return;
    let windowUsed = false;
    for (let i = 0; i < typed; i++) {
      const crd = decodeCrd(u[UTCB_WORDS - 2 * (i + 1)]!);
      if (crd.type !== CrdType.OBJ) {
        caps.push(undefined);
        continue;
      }
      if (crd.base >= this.rcvBase && crd.base < this.rcvBase + MAX_CAPS) windowUsed = true;
      this.selectors.retain(crd.base);
      caps.push(new NovaCapability(crd.base));
    }
    if (windowUsed) {
      /* give back the window's unfilled selectors and open a fresh window */
      for (let s = this.rcvBase; s < this.rcvBase + MAX_CAPS; s++) {
        if (!this.sys.kindOf(this.ec, s)) this.selectors.free(s);
      }
      this.armReceiveWindow();
    }
  }
}
