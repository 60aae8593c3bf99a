/*
 * The kernel-neutral view of a message buffer (Genode's Msgbuf). Each backend hands out
 * one that lies over its real transfer area: NOVA's UTCB, Fiasco.OC's or OKL4's message
 * registers, a SharedArrayBuffer on linux. Its capacity is the real kernel's, so a message
 * that does not fit is an error on every kernel, not a silent truncation.
 */
import { NativeCapability } from '../capability.js';
import { IpcError, MessageOverflow } from '../errors.js';

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

/**
 * Checks that a message's counts describe it before a backend turns them into the kernel's
 * length words: `length` and the capability list are plain fields any code of the
 * component can set, and a negative or oversized count must not reach a header where it
 * would spill into the next field or send whatever the registers held before.
 */
export function checkMessage(msg: MsgBuffer): void {
  const n = msg.length;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > msg.words.length) {
    throw new MessageOverflow(`message length ${String(n)} is not a word count within the ${msg.words.length}-word message buffer`);
  }
  const caps = msg.caps;
  if (!Array.isArray(caps) || caps.length > msg.maxCaps) {
    throw new MessageOverflow(`message carries ${Array.isArray(caps) ? caps.length : 'no list of'} capabilities, at most ${msg.maxCaps} fit`);
  }
  for (let i = 0; i < caps.length; i++) {
    const c = caps[i];
    if (c !== undefined && !(c instanceof NativeCapability)) throw new IpcError(`message capability ${i} is not a capability`);
  }
}
