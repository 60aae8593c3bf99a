/*
 * In-memory Ethernet wires for unit tests: two NetLinks whose frames arrive at each other
 * after a delay on the fake clock, optionally lossy and reordering (a seeded PRNG keeps
 * runs reproducible), with a tap to inject or observe frames.
 */
import type { NetLink } from '../../os/src/lib/net/link.js';
import type { FakeClock } from './fake_clock.js';

export interface WireOptions {
  /** Base one-way delay in ms. */
  delayMs?: number;
  /** Probability a frame is dropped. */
  loss?: number;
  /** Extra random delay up to this many ms (reorders frames). */
  jitterMs?: number;
  /** Probability a frame is delivered twice. */
  duplicate?: number;
  seed?: number;
}

export class MemoryLink implements NetLink {
  up = true;
  peer: MemoryLink | undefined;
  private handler: (f: Uint8Array) => void = () => undefined;
  private stateHandler: (up: boolean) => void = () => undefined;
  /** Every frame this link sent (copies), for tests that inspect traffic. */
  sent: Uint8Array[] = [];
  record = false;
  /** Frames this side's wire dropped on purpose. */
  lost = 0;

  constructor(readonly mac: Uint8Array, private clock: FakeClock, private o: WireOptions, private rng: () => number) {}

  async send(frame: Uint8Array): Promise<boolean> {
    if (!this.up) return false;
    const copy = frame.slice();
    if (this.record) this.sent.push(copy);
    const peer = this.peer;
    if (!peer) return true;
    if ((this.o.loss ?? 0) > 0 && this.rng() < this.o.loss!) {
      this.lost++;
      return true;
    }
    const delay = (this.o.delayMs ?? 1) + (this.o.jitterMs ? Math.floor(this.rng() * this.o.jitterMs) : 0);
    this.clock.after(delay, () => peer.inject(copy));
    if ((this.o.duplicate ?? 0) > 0 && this.rng() < this.o.duplicate!) {
      this.clock.after(delay + 1 + Math.floor(this.rng() * 5), () => peer.inject(copy));
    }
    return true;
  }

  /** Delivers a frame to this link's stack as if it came from the wire. */
  inject(frame: Uint8Array): void {
    if (this.up) this.handler(frame);
  }

  onFrame(handler: (frame: Uint8Array) => void): void {
    this.handler = handler;
  }

  onLinkState(handler: (up: boolean) => void): void {
    this.stateHandler = handler;
  }

  setUp(up: boolean): void {
    this.up = up;
    this.stateHandler(up);
  }
}

/** A deterministic PRNG (mulberry32). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function mac(last: number): Uint8Array {
  return new Uint8Array([0x02, 0, 0, 0, 0, last]);
}

/** Two links wired to each other. */
export function wire(clock: FakeClock, o: WireOptions = {}): [MemoryLink, MemoryLink] {
  const rng = prng(o.seed ?? 1);
  const a = new MemoryLink(mac(1), clock, o, rng);
  const b = new MemoryLink(mac(2), clock, o, rng);
  a.peer = b;
  b.peer = a;
  return [a, b];
}
