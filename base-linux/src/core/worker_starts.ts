/*
 * How many workers load at once. Loading (Node's start of the isolate, SES's lockdown,
 * evaluating the program) is all CPU; an init that starts a thousand children at once
 * would have them all load side by side, each taking hundreds of times longer, so that
 * none is up within the watchdog's patience and the host holds every one's loading
 * garbage at the same time. Core starts a worker when one of the LOADING_AT_ONCE slots
 * (two per host core) is free; the worker's loader reports 'loaded' once the component's
 * code runs, or the worker ends, and the slot goes to the next one in line.
 */
import os from 'node:os';

export const LOADING_AT_ONCE = 2 * Math.max(1, os.availableParallelism());

let loading = 0;
const waiting: Array<() => void> = [];

/** Resolves when the caller may start a worker, with the function that frees its slot (once). */
export function loadingSlot(): Promise<() => void> {
  return new Promise((resolve) => {
    const grant = () => {
      loading++;
      let freed = false;
      resolve(() => {
        if (freed) return;
        freed = true;
        loading--;
        waiting.shift()?.();
      });
    };
    if (loading < LOADING_AT_ONCE) grant();
    else waiting.push(grant);
  });
}
