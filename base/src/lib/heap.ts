/*
 * Memory allocators backed by dataspaces and charged to a quota.
 *
 * RamAllocator is anything that hands out RAM dataspaces (the PD session, or a
 * ConstrainedRamAllocator that charges a session's donated budget first). SlicedHeap
 * gives each allocation a dataspace of its own, so freeing returns memory exactly;
 * Heap carves small blocks out of larger chunks.
 *
 * A size often comes from a client (a session function allocating on its behalf), so each
 * allocator checks it before it touches an account or maps anything: a negative or
 * fractional size is refused with BadArgument, not rounded into something that leaks.
 */
import type { Capability } from '../capability.js';
import type { Dataspace } from '../session/dataspace/session.js';
import type { PdSession } from '../session/pd/session.js';
import { RangeAllocator } from '../util/range_allocator.js';
import type { Env } from './env.js';
import { checkAmount, checkSize } from './quota_amount.js';
import { QuotaGuard, withdrawBoth } from './quota_guard.js';

export const PAGE_SIZE = 4096;

export function pageRound(size: number): number {
  return Math.ceil(size / PAGE_SIZE) * PAGE_SIZE;
}

export interface RamAllocator {
  alloc(size: number): Promise<Capability<Dataspace>>;
  free(ds: Capability<Dataspace>, size: number): Promise<void>;
}

/** Allocates from a PD session. */
export class PdRamAllocator implements RamAllocator {
  constructor(private readonly pd: PdSession) {}
  alloc(size: number) { return this.pd.alloc(size); }
  free(ds: Capability<Dataspace>) { return this.pd.free(ds); }
}

/**
 * Charges every allocation (page-rounded RAM plus one capability) to guards before
 * asking the backing allocator, as a server does with a session's donated quota.
 */
export class ConstrainedRamAllocator implements RamAllocator {
  constructor(readonly backing: RamAllocator, readonly ram: QuotaGuard, readonly caps: QuotaGuard) {}

  async alloc(size: number): Promise<Capability<Dataspace>> {
    const bytes = pageRound(checkSize(size, 'dataspace size', this.ram.owner || 'RAM allocator'));
    withdrawBoth(this.ram, bytes, this.caps, 1);
    try {
      return await this.backing.alloc(size);
    } catch (e) {
      this.ram.replenish(bytes);
      this.caps.replenish(1);
      throw e;
    }
  }

  async free(ds: Capability<Dataspace>, size: number): Promise<void> {
    const bytes = pageRound(checkSize(size, 'dataspace size', this.ram.owner || 'RAM allocator'));
    await this.backing.free(ds, size);
    this.ram.replenish(bytes);
    this.caps.replenish(1);
  }
}

export interface HeapBlock {
  readonly addr: number;
  readonly size: number;
  readonly bytes: Uint8Array;
}

interface Slice extends HeapBlock { ds: Capability<Dataspace>; dsSize: number }

/** One dataspace per allocation (Genode's Sliced_heap). */
export class SlicedHeap {
  private readonly slices = new Map<number, Slice>();
  private consumedBytes = 0;

  /** `owner` names who the heap allocates for, in error messages. */
  constructor(private readonly ram: RamAllocator, private readonly env: Env, readonly owner = 'sliced heap') {}

  async alloc(size: number): Promise<HeapBlock> {
    checkAmount(size, 'allocation of bytes', this.owner);
    const dsSize = pageRound(Math.max(size, 1));
    const ds = await this.ram.alloc(dsSize);
    let addr: number;
    let bytes: Uint8Array;
    try {
      addr = await this.env.attach(ds);
    } catch (e) {
      await this.ram.free(ds, dsSize);
      this.env.runtime.release(ds);
      throw e;
    }
    try {
      bytes = this.env.view(addr, size);
    } catch (e) {
      await this.env.rm.detach(addr);
      await this.ram.free(ds, dsSize);
      this.env.runtime.release(ds);
      throw e;
    }
    const slice: Slice = { addr, size, bytes, ds, dsSize };
    this.slices.set(addr, slice);
    this.consumedBytes += dsSize;
    return slice;
  }

  async free(block: HeapBlock): Promise<void> {
    const s = this.slices.get(block.addr);
    if (!s) return;
    this.slices.delete(block.addr);
    await this.env.rm.detach(s.addr);
    await this.ram.free(s.ds, s.dsSize);
    this.env.runtime.release(s.ds);
    this.consumedBytes -= s.dsSize;
  }

  /** Frees every block (used when a session is closed). */
  async freeAll(): Promise<void> {
    for (const s of [...this.slices.values()]) await this.free(s);
  }

  get consumed(): number {
    return this.consumedBytes;
  }
}

interface Chunk { addr: number; size: number; ds: Capability<Dataspace> }

/** Small blocks carved out of larger dataspaces (Genode's Heap). */
export class Heap {
  private readonly chunks: Chunk[] = [];
  private readonly space = new RangeAllocator();
  private chunkSize = 16 * 1024;

  /** `owner` names who the heap allocates for, in error messages. */
  constructor(private readonly ram: RamAllocator, private readonly env: Env, readonly owner = 'heap') {}

  async alloc(size: number): Promise<HeapBlock> {
    checkAmount(size, 'allocation of bytes', this.owner);
    const aligned = Math.ceil(Math.max(size, 1) / 16) * 16;
    let addr = this.space.alloc(aligned, 16);
    if (addr === undefined) {
      const size = pageRound(Math.max(this.chunkSize, aligned));
      const ds = await this.ram.alloc(size);
      let at: number;
      try {
        at = await this.env.attach(ds);
      } catch (e) {
        await this.ram.free(ds, size);
        this.env.runtime.release(ds);
        throw e;
      }
      this.chunks.push({ addr: at, size, ds });
      this.space.add(at, size);
      this.chunkSize = Math.min(this.chunkSize * 2, 1024 * 1024);
      addr = this.space.alloc(aligned, 16)!;
    }
    return { addr, size, bytes: this.env.view(addr, size) };
  }

  free(block: HeapBlock): void {
    this.space.freeAt(block.addr);
  }

  get consumed(): number {
    return this.chunks.reduce((s, c) => s + c.size, 0);
  }

  async destroy(): Promise<void> {
    for (const c of this.chunks.splice(0)) {
      await this.env.rm.detach(c.addr);
      await this.ram.free(c.ds, c.size);
      this.env.runtime.release(c.ds);
    }
  }
}

/** A session's budget: the quota its client donated, with allocators charged to it. */
export class SessionQuota {
  readonly ram: QuotaGuard;
  readonly caps: QuotaGuard;
  readonly allocator: ConstrainedRamAllocator;

  constructor(env: Env, ramQuota: number, capQuota: number, label: string) {
    this.ram = new QuotaGuard(ramQuota, 'RAM', label);
    this.caps = new QuotaGuard(capQuota, 'caps', label);
    this.allocator = new ConstrainedRamAllocator(new PdRamAllocator(env.pd), this.ram, this.caps);
  }
}

export type { PdSession };
