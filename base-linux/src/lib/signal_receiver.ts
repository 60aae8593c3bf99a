/*
 * A component's signal thread on linux: waits on its signal source and hands each
 * context's coalesced count to the component library with the context's imprint.
 */
import type { SignalDelivery } from '../../../base/src/lib/runtime.js';
import { Sig, slotIndex } from './signal_layout.js';

export async function receiveSignals(sab: SharedArrayBuffer, deliver: SignalDelivery): Promise<void> {
  const w = new Int32Array(sab);
  for (;;) {
    const seen = Atomics.load(w, Sig.SEQ);
    if (Atomics.load(w, Sig.CLOSED)) return;
    const high = Atomics.load(w, Sig.HIGH);
    for (let s = 0; s < high; s++) {
      const at = slotIndex(s);
      if (Atomics.load(w, at + 1) === 0) continue;
      const count = Atomics.exchange(w, at + 1, 0);
      if (count > 0) deliver(Atomics.load(w, at), count);
    }
    const r = Atomics.waitAsync(w, Sig.SEQ, seen);
    if (r.async) await r.value;
  }
}
