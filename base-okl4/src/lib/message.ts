/*
 * Genode's RPC message layout on OKL4 (base-okl4's ipc.cc), in the 64 message registers:
 *   MR0  tag: label, u = number of untyped words that follow, flags
 *   MR1  local name (RPC key) on a call; exception code on a reply
 *   MR2  number of capabilities n
 *   MR3 .. MR2+2n  (thread ID, local name) per capability, 0/0 for an invalid one
 *   then the payload (the kernel-neutral MsgBuffer words)
 * The payload is marshalled into a separate buffer first and copied into the registers
 * when the message is sent, as Genode's Msgbuf is; what does not fit is an error.
 */
import { IpcError, MessageOverflow } from '../../../base/src/errors.js';
import { checkMessage, type MsgBuffer } from '../../../base/src/rpc/msgbuf.js';
import { MR_COUNT, makeTag, mr } from '../kernel/abi.js';
import { Okl4Capability } from './capability.js';
import type { CapabilitySpace } from './capability_space.js';

/** MR0, the local name / exception code, the capability count. */
export const HEADER_MRS = 3;
/** Capabilities per message (Genode's MAX_CAPS_PER_MSG). */
export const MAX_CAPS = 4;
/** Payload words of a message without capabilities: 64 - 3 = 61 (a 232-byte LOG string fits). */
export const PAYLOAD_WORDS = MR_COUNT - HEADER_MRS;

const MR_NAME = mr(1);
const MR_CAPS = mr(2);
const MR_FIRST_CAP = mr(3);

/** Exception codes in MR1 of a reply that the IPC glue itself produces. */
export const enum ExceptionCode {
  NONE = 0,
  /** The reply did not fit into the message registers. */
  REPLY_OVERFLOW = 1,
  /** The request named no object the server knows (a protocol outside generic RPC). */
  INVALID_OBJECT = 2,
}

export function newMsgBuffer(): MsgBuffer {
  const words = new Uint32Array(PAYLOAD_WORDS);
  return { words, bytes: new Uint8Array(words.buffer), length: 0, caps: [], maxCaps: MAX_CAPS };
}

/** Writes `msg` with `name` in MR1 into the UTCB's registers and returns the tag it put in MR0. */
export function loadMessage(utcb: Uint32Array, label: number, name: number, msg: MsgBuffer, flags: number): number {
  /* a negative or oversized count would send whatever the registers held before */
  checkMessage(msg);
  const caps = msg.caps;
  const n = caps.length;
  const u = HEADER_MRS - 1 + 2 * n + msg.length;
  if (n > MAX_CAPS || u >= MR_COUNT) {
    throw new MessageOverflow(`message of ${msg.length} words and ${n} capabilities does not fit into OKL4's ${MR_COUNT} message registers`);
  }
  utcb[MR_NAME] = name >>> 0;
  utcb[MR_CAPS] = n;
  let at = MR_FIRST_CAP;
  for (let i = 0; i < n; i++) {
    const c = caps[i];
    const ok = c instanceof Okl4Capability;
    utcb[at++] = ok ? c.tid : 0;
    utcb[at++] = ok ? c.rpcKey : 0;
  }
  const len = msg.length;
  if (len <= 8) {
    for (let i = 0; i < len; i++) utcb[at + i] = msg.words[i]!;
  } else {
    utcb.set(msg.words.subarray(0, len), at);
  }
  const tag = makeTag(label, u, flags);
  utcb[mr(0)] = tag;
  return tag;
}

/**
 * Reads a received message from the UTCB into `msg`, importing its capabilities into
 * `space`; returns MR1 (the local name or exception code).
 */
export function storeMessage(utcb: Uint32Array, msg: MsgBuffer, space: CapabilitySpace): number {
  const u = utcb[mr(0)]! & 0x3f;
  if (u < HEADER_MRS - 1) {
    msg.length = 0;
    if (msg.caps.length) msg.caps.length = 0;
    if (u === 0) return 0;
    throw new IpcError(`malformed message: ${u} words are shorter than the RPC header`);
  }
  const n = utcb[MR_CAPS]!;
  if (n > MAX_CAPS || HEADER_MRS - 1 + 2 * n > u) throw new IpcError(`malformed message: ${n} capabilities in ${u} words`);
  const caps = msg.caps;
  if (caps.length) caps.length = 0;
  let at = MR_FIRST_CAP;
  for (let i = 0; i < n; i++) {
    const tid = utcb[at++]!;
    const key = utcb[at++]!;
    caps.push(tid === 0 ? undefined : space.lookupOrAdd(tid, key));
  }
  const len = u - (HEADER_MRS - 1) - 2 * n;
  if (len <= 8) {
    for (let i = 0; i < len; i++) msg.words[i] = utcb[at + i]!;
  } else {
    msg.words.set(utcb.subarray(at, at + len));
  }
  msg.length = len;
  return utcb[MR_NAME]!;
}
