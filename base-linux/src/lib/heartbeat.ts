/*
 * The worker's answer to core's watchdog: whenever core bumps the heartbeat request, the
 * event loop copies it to the acknowledgement. Only a worker whose event loop runs can
 * answer, so one that spins forever falls silent and the watchdog ends it.
 */
import { Ctl } from './control_block.js';

export function answerHeartbeats(control: Int32Array): void {
  void (async () => {
    for (;;) {
      const v = Atomics.load(control, Ctl.HB_REQ);
      Atomics.store(control, Ctl.HB_ACK, v);
      const r = Atomics.waitAsync(control, Ctl.HB_REQ, v);
      if (r.async) await r.value;
    }
  })();
}
