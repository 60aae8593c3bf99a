/*
 * The kernel-neutral view of a message buffer (Genode's Msgbuf). Each backend hands out
 * one that lies over its real transfer area: NOVA's UTCB, Fiasco.OC's or OKL4's message
 * registers, a SharedArrayBuffer on linux. Its capacity is the real kernel's, so a message
 * that does not fit is an error on every kernel, not a silent truncation.
 */
import type { NativeCapability } from '../capability.js';

export interface MsgBuffer {
  /** Payload words; `words.length` is the capacity on this kernel. */
  readonly words: Uint32Array;
  /** The same memory as bytes. */
  readonly bytes: Uint8Array;
  /** Number of payload words in use. */
  length: number;
  /** Capabilities carried by the message, in order; undefined stands for an invalid capability. */
  readonly caps: Array<NativeCapability | undefined>;
  /** How many capabilities one message can carry on this kernel. */
  readonly maxCaps: number;
}

export function resetMsg(msg: MsgBuffer): void {
  msg.length = 0;
  if (msg.caps.length !== 0) msg.caps.length = 0;
}
