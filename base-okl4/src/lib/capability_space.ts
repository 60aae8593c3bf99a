/*
 * A component's capability space (Genode's Capability_space for traditional L4 kernels):
 * the capabilities it knows, indexed by RPC key. A capability arriving in a message is
 * looked up by its key and imported if new, so the same object is one entry however often
 * it arrives; a reference count says when the entry can go.
 */
import { Okl4Capability } from './capability.js';

interface Entry { cap: Okl4Capability; refs: number }

export class CapabilitySpace {
  private readonly byKey = new Map<number, Entry>();

  lookup(key: number): Okl4Capability | undefined {
    return this.byKey.get(key)?.cap;
  }

  /** The entry for {tid, key}: the known one with that key, or a new one. */
  lookupOrAdd(tid: number, key: number): Okl4Capability {
    const e = this.byKey.get(key);
    if (e && e.cap.tid === tid) {
      e.refs++;
      return e.cap;
    }
    /* the same key at another thread is another capability (e.g. one that was forged) */
    const cap = new Okl4Capability(tid, key);
    if (!e) this.byKey.set(key, { cap, refs: 1 });
    return cap;
  }

  /** Adds a capability this component created itself (core's own objects). */
  insert(cap: Okl4Capability): void {
    this.byKey.set(cap.rpcKey, { cap, refs: 1 });
  }

  release(cap: Okl4Capability): void {
    const e = this.byKey.get(cap.rpcKey);
    if (!e || e.cap !== cap) return;
    if (--e.refs <= 0) this.byKey.delete(cap.rpcKey);
  }

  get size(): number {
    return this.byKey.size;
  }
}
