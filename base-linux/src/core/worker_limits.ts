/*
 * The host heap a component's worker may use, sized by the RAM quota its PD has when its
 * main thread starts (Genode pays a component's heap from its RAM quota; here the JS heap
 * is the host's, so the quota bounds it by a generous factor instead of byte for byte).
 *
 * - Old generation: HEAP_BASE_MIB plus HEAP_PER_QUOTA times the quota. A component that
 *   allocates beyond it ends alone: V8 stops its isolate, core reports the worker's
 *   ERR_WORKER_OUT_OF_MEMORY error as the component's crash and its parent gets the exit.
 *   Without a limit one runaway component could take the whole host's memory down with
 *   every other component.
 * - Young generation: V8's default lets each isolate's nursery grow to tens of MiB, which
 *   it keeps committed; most components allocate little, so the nursery starts at
 *   YOUNG_MIN_MIB and grows with the quota (a component with much memory to work through
 *   gets fewer scavenges).
 */
import type { ResourceLimits } from 'node:worker_threads';

const MIB = 1024 * 1024;
export const HEAP_BASE_MIB = 96;
export const HEAP_PER_QUOTA = 8;
/** V8's own bound on 64-bit hosts. */
const HEAP_MAX_MIB = 4096;
export const YOUNG_MIN_MIB = 1;
const YOUNG_MAX_MIB = 16;
/** Quota per MiB of young generation beyond the minimum. */
const QUOTA_PER_YOUNG_MIB = 4;

export function workerLimits(ramQuota: number | undefined): ResourceLimits {
  const quotaMiB = Math.max(0, ramQuota ?? 0) / MIB;
  return {
    maxOldGenerationSizeMb: Math.min(HEAP_MAX_MIB, Math.ceil(HEAP_BASE_MIB + HEAP_PER_QUOTA * quotaMiB)),
    maxYoungGenerationSizeMb: Math.min(YOUNG_MAX_MIB, YOUNG_MIN_MIB + Math.floor(quotaMiB / QUOTA_PER_YOUNG_MIB)),
  };
}

/** The crash report of a component whose worker reached its heap limit. */
export function heapExhausted(limits: ResourceLimits, ramQuota: number | undefined): string {
  const quotaKiB = Math.round(Math.max(0, ramQuota ?? 0) / 1024);
  return `out of host heap: the component's worker reached its limit of ${limits.maxOldGenerationSizeMb} MiB `
    + `(${HEAP_BASE_MIB} MiB + ${HEAP_PER_QUOTA} x its RAM quota of ${quotaKiB} KiB) and was stopped`;
}
