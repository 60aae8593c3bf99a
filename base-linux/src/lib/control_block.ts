/*
 * A PD's control block: a few words core and the component's worker share.
 *  POSTED   messages core has posted to the worker's kernel port, so the worker can tell
 *           whether a reply may depend on a message it has not applied yet;
 *  HB_REQ / HB_ACK  the watchdog's heartbeat: core bumps the request, the worker's event
 *           loop copies it to the acknowledgement. A worker that spins never does.
 */
export const enum Ctl { POSTED = 0, HB_REQ = 1, HB_ACK = 2 }

export const CONTROL_BYTES = 16;

export function controlBlock(sab: SharedArrayBuffer): Int32Array {
  return new Int32Array(sab, 0, CONTROL_BYTES / 4);
}
