/*
 * A thread's IPC state on Fiasco.OC in Genode's message layout:
 *   mr[0]            protocol word: the callee's badge on a call, the exception code on a reply
 *   mr[1]            number of capability arguments
 *   mr[2 .. 2+n)     one badge per capability (INVALID_BADGE for an invalid one)
 *   then             the payload
 *   then             a map item (L4_ITEM_MAP, object flexpage) per valid capability
 * The message buffer the RPC layer fills is the payload: the 63 message registers minus the
 * two header words. Capabilities that arrive land in a receive window of four slots and are
 * re-associated by badge through the cap map.
 */
import type { NativeCapability } from '../../../base/src/capability.js';
import { MessageOverflow } from '../../../base/src/errors.js';
import { checkMessage, type MsgBuffer } from '../../../base/src/rpc/msgbuf.js';
import {
  L4_BASE_TASK_CAP, L4_CAP_SIZE, L4_ITEM_MAP, L4_RCV_ITEM_SINGLE_CAP, L4_UTCB_GENERIC_DATA_SIZE, UTCB_BDR, UTCB_BR,
} from '../kernel/consts.js';
import { L4_FPAGE_RWX, l4_obj_fpage } from '../kernel/fpage.js';
import type { FocSyscalls } from '../kernel/syscall_gate.js';
import { l4_task_cap_valid } from '../kernel/l4sys.js';
import { l4_msgtag, l4_msgtag_items, l4_msgtag_label, l4_msgtag_words } from '../kernel/msgtag.js';
import type { Thread } from '../kernel/thread.js';
import type { CapMap } from './cap_map.js';
import { FocCapability, INVALID_BADGE } from './capability.js';
import { MAX_CAPS_PER_MSG, MSG_HEADER_WORDS, MSG_PAYLOAD_WORDS } from './layout.js';

export class FocIpcThread {
  readonly msg: MsgBuffer;
  /** Why the last received message is unusable (its header does not describe it), or undefined. */
  malformed: string | undefined;
  private readonly rcvWindow: number;
  /* per-message scratch, allocated once */
  private readonly sendKcaps = new Array<number>(MAX_CAPS_PER_MSG);
  private readonly sendBadges = new Array<number>(MAX_CAPS_PER_MSG);

  constructor(
    private readonly k: FocSyscalls,
    readonly thread: Thread,
    private readonly caps: CapMap,
    readonly utcb: Uint32Array,
  ) {
    const words = new Uint32Array(MSG_PAYLOAD_WORDS);
    this.msg = {
      words,
      bytes: new Uint8Array(words.buffer),
      length: 0,
      caps: [],
      maxCaps: MAX_CAPS_PER_MSG,
    };
    this.rcvWindow = caps.indices.alloc(2);
  }

  /** The thread is gone: its receive window goes back. */
  dispose(): void {
    this.caps.indices.free(this.rcvWindow, 2);
  }

  /** Offers the receive window in the buffer registers (before every receive). */
  armReceiveWindow(): void {
    const u = this.utcb;
    u[UTCB_BDR] = 0;
    for (let i = 0; i < MAX_CAPS_PER_MSG; i++) u[UTCB_BR + i] = (this.rcvWindow + i * L4_CAP_SIZE + L4_RCV_ITEM_SINGLE_CAP) >>> 0;
  }

  /** Writes `msg` into the message registers; returns the tag. Throws MessageOverflow if it does not fit. */
  prepareSend(protocol: number): number {
    const msg = this.msg;
    checkMessage(msg);
    const n = msg.caps.length;
    let valid = 0;
    /* check the capabilities first: the check is a system call and uses the registers */
    for (let i = 0; i < n; i++) {
      const c = msg.caps[i];
      if (c instanceof FocCapability && l4_msgtag_label(l4_task_cap_valid(this.k, this.thread, L4_BASE_TASK_CAP, c.kcap)) === 1) {
        this.sendKcaps[i] = c.kcap;
        this.sendBadges[i] = c.badge;
        valid++;
      } else {
        this.sendBadges[i] = INVALID_BADGE;
      }
    }
    const words = MSG_HEADER_WORDS + n + msg.length;
    if (words + 2 * valid > L4_UTCB_GENERIC_DATA_SIZE) {
      throw new MessageOverflow(`message of ${msg.length} words and ${n} capabilities does not fit into the ${L4_UTCB_GENERIC_DATA_SIZE} message registers`);
    }
    const u = this.utcb;
    u[0] = protocol >>> 0;
    u[1] = n;
    for (let i = 0; i < n; i++) u[2 + i] = this.sendBadges[i]!;
    const at = MSG_HEADER_WORDS + n;
    const len = msg.length;
    if (len <= 16) {
      for (let i = 0; i < len; i++) u[at + i] = msg.words[i]!;
    } else {
      u.set(msg.words.subarray(0, len), at);
    }
    let item = words;
    for (let i = 0; i < n; i++) {
      if (this.sendBadges[i] === INVALID_BADGE) continue;
      u[item] = L4_ITEM_MAP;
      u[item + 1] = l4_obj_fpage(this.sendKcaps[i]!, 0, L4_FPAGE_RWX);
      item += 2;
    }
    return l4_msgtag(0, words, valid, 0);
  }

  /** Drops one reference to a capability that arrived at this thread. */
  release(cap: FocCapability): void {
    this.caps.release(this.thread, cap);
  }

  /** Releases the capabilities of the received message (for one that is refused unread). */
  releaseReceived(): void {
    for (const c of this.msg.caps) if (c instanceof FocCapability) this.caps.release(this.thread, c);
    this.msg.caps.length = 0;
  }

  /** Reads a received message into `msg` and returns its protocol word. */
  afterReceive(tag: number): number {
    const msg = this.msg;
    const u = this.utcb;
    const words = l4_msgtag_words(tag);
    const items = l4_msgtag_items(tag);
    const caps: Array<NativeCapability | undefined> = msg.caps;
    if (caps.length !== 0) caps.length = 0;
    this.malformed = undefined;
    if (words < MSG_HEADER_WORDS) {
      msg.length = 0;
      this.malformed = `a message of ${words} word(s) is shorter than the ${MSG_HEADER_WORDS}-word header`;
      return words > 0 ? u[0]! : 0;
    }
    const protocol = u[0]!;
    /* the capability count is the sender's word: one that the message cannot hold is refused */
    const claimed = u[1]!;
    if (claimed > MAX_CAPS_PER_MSG || claimed > words - MSG_HEADER_WORDS) {
      msg.length = 0;
      this.malformed = `${claimed} capabilities claimed in a message of ${words} words`;
      return protocol;
    }
    const n = claimed;
    const at = MSG_HEADER_WORDS + n;
    const len = Math.min(words - at, MSG_PAYLOAD_WORDS);
    if (len <= 16) {
      for (let i = 0; i < len; i++) msg.words[i] = u[at + i]!;
    } else {
      msg.words.set(u.subarray(at, at + len), 0);
    }
    msg.length = len;
    if (n === 0) return protocol;
    /* copy the badges and item results out before the cap map's system calls reuse the registers */
    const badges = this.sendBadges;
    const got = this.sendKcaps;
    for (let i = 0, sel = 0; i < n; i++) {
      badges[i] = u[2 + i]!;
      if (badges[i] === INVALID_BADGE) continue;
      const result = sel < items ? u[words + 2 * sel + 1]! : 0;
      got[i] = result === 0 ? -1 : this.rcvWindow + sel * L4_CAP_SIZE;
      sel++;
    }
    for (let i = 0; i < n; i++) {
      if (badges[i] === INVALID_BADGE || got[i] === -1) caps.push(undefined);
      else caps.push(this.caps.insertMap(this.thread, badges[i]!, got[i]!));
    }
    return protocol;
  }
}
