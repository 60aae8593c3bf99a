/*
 * Core's region map: the layout of an address space. Attaching maps nothing: a thread's
 * first access faults, the kernel reports the fault to core's pager, and the pager asks the
 * PD's region map (`resolve`) which flexpage to map, walking into managed region maps (RM
 * service), which are dataspaces attached elsewhere (Genode's nested region maps). A fault
 * no attachment resolves goes to the region map's fault handler, whose owner may attach
 * something there; the faulting thread stays blocked until then.
 */
import { Capability } from '../capability.js';
import { InvalidDataspace, RegionConflict, BadArgument } from '../errors.js';
import type { Entrypoint } from '../lib/entrypoint.js';
import { checkAmount } from '../lib/quota_amount.js';
import { ATTACH_AREA_BASE, ATTACH_AREA_SIZE } from '../lib/stack_area.js';
import type { Dataspace } from '../session/dataspace/session.js';
import type { AttachAttr, AttachedRange, MemoryAccess, RegionMap, RegionMapState } from '../session/region_map/session.js';
import type { SignalContext } from '../session/signal/session.js';
import { RangeAllocator } from '../util/range_allocator.js';
import { DataspaceComponent, type DataspaceUser } from './dataspace_component.js';

const PAGE = 4096;
/** The largest flexpage the pager maps at once (a superpage, as Genode's core on x86). */
const MAX_FLEXPAGE = 4 * 1024 * 1024;

/** Where a region map's mappings go: a PD's page tables, or the places a managed map is attached. */
export interface MappingTarget {
  unmap(vaddr: number, size: number): void;
}

/** The dataspace of a managed region map. */
export class ManagedDataspace extends DataspaceComponent {
  constructor(readonly rm: RegionMapComponent, bytes: number) {
    super(0, bytes, true, undefined);
  }
}

interface Region { at: number; size: number; ds: DataspaceComponent; offset: number; writeable: boolean; executable: boolean }

/** One place a managed region map is attached: its window [from, to) appears at `base + x`. */
interface Mirror { target: MappingTarget; base: number; from: number; to: number }

/** A managed map's unmappings go to every place it is attached, clipped to each window. */
class FanOut implements MappingTarget {
  readonly mirrors = new Set<Mirror>();

  unmap(vaddr: number, size: number): void {
    for (const m of this.mirrors) {
      const lo = Math.max(vaddr, m.from);
      const hi = Math.min(vaddr + size, m.to);
      if (lo < hi) m.target.unmap(m.base + lo, hi - lo);
    }
  }
}

/** A flexpage to map: [vaddr, vaddr+size) onto physical `phys`, size a power of two both are aligned to. */
export interface Flexpage { vaddr: number; phys: number; size: number; writeable: boolean; executable: boolean }

/** What a fault resolves to: a flexpage, or the region map (innermost) where nothing is attached for it. */
export type FaultResolution =
  | { kind: 'map'; page: Flexpage }
  | { kind: 'unresolved'; rm: RegionMapComponent; addr: number; why: string };

const FAULT_TYPE: Record<MemoryAccess, RegionMapState['type']> = { read: 'READ_FAULT', write: 'WRITE_FAULT', exec: 'EXEC_FAULT' };

/** A thread blocked in a fault this region map's handler was told about. */
interface Faulter { type: RegionMapState['type']; addr: number; wake: () => void }

/**
 * The largest flexpage around `addr` that lies in [lo, hi) and whose virtual and physical
 * addresses (`delta` apart) are both aligned to its size (Genode's core picks it the same way).
 */
function flexpageAround(addr: number, lo: number, hi: number, delta: number, limit = MAX_FLEXPAGE): { vaddr: number; size: number } {
  let size = PAGE;
  for (let s = PAGE * 2; s <= limit; s *= 2) {
    const base = Math.floor(addr / s) * s;
    if (base < lo || base + s > hi || ((delta % s) + s) % s !== 0) break;
    size = s;
  }
  return { vaddr: Math.floor(addr / size) * size, size };
}

export class RegionMapComponent implements RegionMap, DataspaceUser {
  private readonly free: RangeAllocator;
  private readonly regions = new Map<number, Region>();
  private readonly fanOut: FanOut | undefined;
  private readonly target: MappingTarget;
  /** Set for a managed region map: its own dataspace and capability. */
  managed: { ds: ManagedDataspace; cap: Capability<Dataspace> } | undefined;
  /** Genode's fault handler: told about faults no attachment resolves. */
  private faultSigh: Capability<SignalContext> | undefined;
  private faulters: Faulter[] = [];

  /**
   * A PD's address space (`target` is its page tables), or a managed map of `limit` bytes.
   * `submitSignal` is how core signals the fault handler.
   */
  constructor(private readonly ep: Entrypoint, target: MappingTarget | undefined, private readonly submitSignal: (ctx: Capability<SignalContext>) => void,
    private readonly base = ATTACH_AREA_BASE, private readonly limit = ATTACH_AREA_SIZE) {
    this.free = new RangeAllocator(base, limit);
    this.fanOut = target ? undefined : new FanOut();
    this.target = target ?? this.fanOut!;
  }

  attach = async (dsCap: Capability<Dataspace>, attr: AttachAttr): Promise<AttachedRange> => {
    const ds = this.ep.local(dsCap, DataspaceComponent);
    if (!ds) throw new InvalidDataspace('attach: the capability does not name a dataspace');
    /* sizes and addresses come from the client: negative or fractional ones are refused outright */
    for (const k of ['size', 'offset', 'at'] as const) checkAmount(attr[k], k, 'Region_map.attach');
    if (ds instanceof ManagedDataspace && ds.rm.contains(this)) {
      throw new BadArgument('attach: a region map cannot be attached into itself');
    }
    if (attr.offset < 0 || attr.offset % PAGE !== 0 || attr.offset >= ds.bytes) {
      throw new BadArgument(`attach: offset ${attr.offset} is not page-aligned within the ${ds.bytes}-byte dataspace`);
    }
    const size = Math.ceil((attr.size || ds.bytes - attr.offset) / PAGE) * PAGE;
    if (attr.offset + size > Math.ceil(ds.bytes / PAGE) * PAGE) {
      throw new BadArgument(`attach: ${size} bytes at offset ${attr.offset} exceed the ${ds.bytes}-byte dataspace`);
    }
    let at: number;
    if (attr.useAt) {
      if (attr.at % PAGE !== 0) throw new BadArgument(`attach: address 0x${attr.at.toString(16)} is not page-aligned`);
      if (!this.free.allocAt(attr.at, size)) {
        throw new RegionConflict(`attach: [0x${attr.at.toString(16)}, 0x${(attr.at + size).toString(16)}) overlaps an existing region or lies outside the region map`);
      }
      at = attr.at;
    } else {
      const a = this.free.alloc(size, PAGE);
      if (a === undefined) throw new RegionConflict(`attach: no free range of ${size} bytes left`);
      at = a;
    }
    const region: Region = { at, size, ds, offset: attr.offset, writeable: ds.isWriteable && attr.writeable, executable: attr.executable };
    if (ds instanceof ManagedDataspace) ds.rm.addMirror({ target: this.target, base: at - attr.offset, from: attr.offset, to: attr.offset + size });
    this.regions.set(at, region);
    ds.users.add(this);
    this.wakeFaulters();
    return { start: at, numBytes: size };
  };

  /* ------------------------------------------------------------------ page faults */

  /** What a fault at `addr` (an address in this map) as `access` resolves to. */
  resolve(addr: number, access: MemoryAccess): FaultResolution {
    const r = this.regionContaining(addr);
    if (!r) return { kind: 'unresolved', rm: this, addr, why: 'no region is attached there' };
    if (r.ds instanceof ManagedDataspace) {
      const inner = r.ds.rm.resolve(addr - r.at + r.offset, access);
      if (inner.kind !== 'map') return inner;
      /* the inner flexpage, moved to this map and cut down to fit the region's window */
      const delta = r.at - r.offset;
      const p = inner.page;
      const lo = Math.max(p.vaddr + delta, r.at);
      const hi = Math.min(p.vaddr + delta + p.size, r.at + r.size);
      const f = flexpageAround(addr, lo, hi, p.phys - (p.vaddr + delta), p.size);
      return { kind: 'map', page: { ...p, vaddr: f.vaddr, phys: p.phys + (f.vaddr - (p.vaddr + delta)), size: f.size, writeable: p.writeable && r.writeable, executable: p.executable && r.executable } };
    }
    if (access === 'write' && !r.writeable) return { kind: 'unresolved', rm: this, addr, why: 'the region is read-only' };
    if (access === 'exec' && !r.executable) return { kind: 'unresolved', rm: this, addr, why: 'the region is not executable' };
    const physOfAt = r.ds.phys + r.offset;
    const f = flexpageAround(addr, r.at, r.at + r.size, physOfAt - r.at);
    return { kind: 'map', page: { vaddr: f.vaddr, phys: physOfAt + (f.vaddr - r.at), size: f.size, writeable: r.writeable, executable: r.executable } };
  }

  /**
   * Tells the fault handler about a fault at `addr`: resolves when an attach or detach in
   * this map lets the pager try again. Undefined without a fault handler.
   */
  reflectFault(addr: number, access: MemoryAccess): Promise<void> | undefined {
    const sigh = this.faultSigh;
    if (!sigh) return undefined;
    return new Promise<void>((wake) => {
      this.faulters.push({ type: FAULT_TYPE[access], addr, wake });
      this.submitSignal(sigh);
    });
  }

  /** Lets every blocked faulter try again (Genode wakes them on attach and detach). */
  private wakeFaulters(): void {
    const f = this.faulters;
    if (f.length === 0) return;
    this.faulters = [];
    for (const x of f) x.wake();
  }

  faultHandler = async (sigh: Capability<SignalContext>): Promise<void> => {
    this.faultSigh = sigh.valid ? sigh : undefined;
  };

  state = async (): Promise<RegionMapState> => {
    const f = this.faulters[0];
    return f ? { type: f.type, addr: f.addr } : { type: 'READY', addr: 0 };
  };

  private regionContaining(addr: number): Region | undefined {
    for (const r of this.regions.values()) if (addr >= r.at && addr < r.at + r.size) return r;
    return undefined;
  }

  /** Records a new window onto this managed map (for unmapping: faults find the way in themselves). */
  private addMirror(m: Mirror): void {
    this.fanOut!.mirrors.add(m);
  }

  private removeMirror(target: MappingTarget, base: number): void {
    for (const m of [...this.fanOut!.mirrors]) {
      if (m.target !== target || m.base !== base) continue;
      this.fanOut!.mirrors.delete(m);
      m.target.unmap(m.base + m.from, m.to - m.from);
    }
  }

  /** Whether `rm` is this map or nested inside it (attaching would make a cycle). */
  private contains(rm: RegionMapComponent): boolean {
    if (rm === this) return true;
    for (const r of this.regions.values()) if (r.ds instanceof ManagedDataspace && r.ds.rm.contains(rm)) return true;
    return false;
  }

  detach = async (at: number): Promise<void> => {
    const r = this.regions.get(at);
    if (!r) return;
    this.remove(r);
    if (![...this.regions.values()].some((x) => x.ds === r.ds)) r.ds.users.delete(this);
    this.wakeFaulters();
  };

  size = async (): Promise<number> => this.base + this.limit;

  dataspace = async (): Promise<Capability<Dataspace>> => this.managed?.cap ?? Capability.invalid();

  private remove(r: Region): void {
    if (r.ds instanceof ManagedDataspace) r.ds.rm.removeMirror(this.target, r.at - r.offset);
    else this.target.unmap(r.at, r.size);
    this.regions.delete(r.at);
    this.free.freeAt(r.at);
  }

  dataspaceGone(ds: DataspaceComponent): void {
    for (const r of [...this.regions.values()]) if (r.ds === ds) this.remove(r);
  }

  /** The dataspace attached at `addr` and the offset into it (the loader uses this). */
  regionAt(addr: number): { ds: DataspaceComponent; offset: number } | undefined {
    const r = this.regionContaining(addr);
    return r && { ds: r.ds, offset: r.offset + (addr - r.at) };
  }

  destroy(): void {
    for (const r of [...this.regions.values()]) {
      this.remove(r);
      r.ds.users.delete(this);
    }
    this.managed?.ds.detachAll();
    this.wakeFaulters();
  }
}
