/*
 * Genode's conventions for a component's capability space on Fiasco.OC: fixed slots for
 * the task itself and the parent, a thread area with five slots per thread (the thread's
 * own capability first), and the range the component allocates from. Also the code
 * addresses of the start-up library's thread entries.
 */
import { L4_UTCB_GENERIC_DATA_SIZE, capIdx } from '../kernel/consts.js';
import { STACK_AREA_BASE, STACK_SLOTS, STACK_SLOT_SIZE } from '../../../base/src/lib/stack_area.js';

export const PARENT_CAP = capIdx(0xb);
export const THREAD_AREA_BASE = 0xc;
export const THREAD_AREA_SLOTS = 5;
/** Within a thread's area: the pager gate core sets as the thread's pager (after the thread's own capability). */
export const THREAD_PAGER_CAP = capIdx(1);
/** The component allocates capability slots from here on. */
export const USER_BASE_SLOT = 0x300;
/** As many threads as the thread area below USER_BASE_SLOT has room for. */
export const MAX_THREADS = Math.min(STACK_SLOTS, Math.floor((USER_BASE_SLOT - THREAD_AREA_BASE) / THREAD_AREA_SLOTS));

/** The capability index under which a component finds the thread of stack slot `slot`. */
export function threadCapOf(slot: number): number {
  return capIdx(THREAD_AREA_BASE + THREAD_AREA_SLOTS * slot);
}

/** Every component's UTCB area is its stack area: a UTCB at the base of each stack slot. */
export const COMPONENT_UTCB_AREA = { base: STACK_AREA_BASE, size: STACK_SLOTS * STACK_SLOT_SIZE };

/** Genode's message layout: the protocol word (badge or exception code) and the capability count. */
export const MSG_HEADER_WORDS = 2;
export const MAX_CAPS_PER_MSG = 4;
/** Payload words a message can carry: the message registers minus the header. */
export const MSG_PAYLOAD_WORDS = L4_UTCB_GENERIC_DATA_SIZE - MSG_HEADER_WORDS;

/** Code addresses of the start-up library's entry functions in every component. */
export const ENTRYPOINT_IP = 0x1000;
export const SIGNAL_IP = 0x1010;
/** The Fiasco.OC timer's timeout thread (base-fiasco/src/timer). */
export const TIMEOUT_IP = 0x1020;
/** Further threads start at code of their own: one entry per stack slot from here on. */
export const THREAD_IP_BASE = 0x2000;

/** Priority of a component's threads. */
export const DEFAULT_PRIO = 128;
