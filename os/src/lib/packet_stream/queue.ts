/*
 * A packet-descriptor queue in shared memory (Genode's Packet_descriptor_queue): a ring
 * buffer of fixed-size descriptor slots with a head (written by the producer only) and a
 * tail (written by the consumer only). One slot stays free, so head == tail is empty and
 * head + 1 == tail (mod size) is full.
 *
 * Unlike Genode's, neither side trusts the index the other side owns: each keeps its own
 * index privately and only publishes it, and the peer's index is read once per operation
 * and checked to lie in [0, size). A peer that writes garbage there gets a corrupt queue
 * (reported by `peerIndexValid`), never an out-of-range slot access. The indices are
 * accessed with Atomics, so producer and consumer may run in parallel (linux backend).
 *
 * Layout at `base` (64-byte aligned): head u32, tail u32, padding to 64, slots.
 */

export const QUEUE_HEADER = 64;

/*
 * Atomics where the compartment has them (the linux backend, where source and sink run in
 * parallel); the emulated kernels run one thread at a time and give components no Atomics,
 * so plain accesses are ordered there anyway.
 */
const atomics = (globalThis as { Atomics?: typeof Atomics }).Atomics;
const load = (a: Int32Array, i: number): number => (atomics ? atomics.load(a, i) : a[i]);
const store = (a: Int32Array, i: number, v: number): void => {
  if (atomics) atomics.store(a, i, v);
  else a[i] = v;
};

/** How descriptors of one kind are stored in a slot. */
export interface DescriptorCodec<D> {
  /** Bytes per slot (a multiple of 8). */
  readonly size: number;
  write(view: DataView, at: number, d: D): void;
  read(view: DataView, at: number): D;
}

export type QueueRole = 'producer' | 'consumer';

export class QueueCorrupt extends Error {}

export class PacketDescriptorQueue<D> {
  /** Bytes a queue of `slots` slots occupies. */
  static bytes(slots: number, codec: DescriptorCodec<unknown>): number {
    return QUEUE_HEADER + slots * codec.size;
  }

  private readonly idx: Int32Array;
  private readonly view: DataView;
  /** The index this side owns (head for the producer, tail for the consumer). */
  private own = 0;

  constructor(
    memory: Uint8Array,
    private readonly base: number,
    readonly slots: number,
    private readonly codec: DescriptorCodec<D>,
    readonly role: QueueRole,
  ) {
    if (slots < 2 || slots > 0x10000) throw new RangeError(`queue of ${slots} slots`);
    if ((memory.byteOffset + base) % 8 !== 0) throw new RangeError('queue not 8-byte aligned');
    if (base + PacketDescriptorQueue.bytes(slots, codec) > memory.length) throw new RangeError('queue exceeds its memory');
    this.idx = new Int32Array(memory.buffer, memory.byteOffset + base, 2);
    this.view = new DataView(memory.buffer, memory.byteOffset + base + QUEUE_HEADER, slots * codec.size);
    /* each side starts by publishing its own index (Genode: the producer clears head, the consumer tail) */
    store(this.idx, role === 'producer' ? 0 : 1, 0);
  }

  /** The peer's index as published, or -1 if it is out of range (a corrupt queue). */
  private peer(): number {
    const v = load(this.idx, this.role === 'producer' ? 1 : 0) >>> 0;
    return v < this.slots ? v : -1;
  }

  /** Whether the peer's index is currently valid. */
  get peerIndexValid(): boolean {
    return this.peer() >= 0;
  }

  /** The peer's raw index (for messages about a corrupt queue). */
  get peerIndexRaw(): number {
    return load(this.idx, this.role === 'producer' ? 1 : 0) >>> 0;
  }

  /* ---------------------------------------------------------------- producer */

  /** Free slots; 0 also when the consumer's tail is garbage. */
  slotsFree(): number {
    const tail = this.peer();
    if (tail < 0) return 0;
    return (tail > this.own ? tail - this.own : this.slots - this.own + tail) - 1;
  }

  full(): boolean {
    return this.slotsFree() === 0;
  }

  /**
   * Adds a descriptor; false if full (or corrupt). `wasEmpty` tells whether the queue held
   * nothing before (then the consumer needs a wake-up signal).
   */
  add(d: D): { added: boolean; wasEmpty: boolean } {
    if (this.role !== 'producer') throw new Error('add on the consumer side');
    const tail = this.peer();
    if (tail < 0 || (this.own + 1) % this.slots === tail) return { added: false, wasEmpty: false };
    this.codec.write(this.view, this.own * this.codec.size, d);
    this.own = (this.own + 1) % this.slots;
    store(this.idx, 0, this.own);
    /* read the tail again after publishing: if the consumer caught up meanwhile, it may sleep */
    const after = this.peer();
    return { added: true, wasEmpty: after === (this.own + this.slots - 1) % this.slots };
  }

  /**
   * Adds descriptors and publishes them at once (the consumer sees all or none of them);
   * as many as fit.
   */
  addAll(ds: D[]): { added: number; wasEmpty: boolean } {
    if (this.role !== 'producer') throw new Error('add on the consumer side');
    const n = Math.min(ds.length, this.slotsFree());
    for (let i = 0; i < n; i++) this.codec.write(this.view, ((this.own + i) % this.slots) * this.codec.size, ds[i]);
    if (n === 0) return { added: 0, wasEmpty: false };
    const before = this.own;
    this.own = (this.own + n) % this.slots;
    store(this.idx, 0, this.own);
    return { added: n, wasEmpty: this.peer() === before };
  }

  /* ---------------------------------------------------------------- consumer */

  /** Descriptors waiting; 0 also when the producer's head is garbage. */
  available(): number {
    const head = this.peer();
    if (head < 0) return 0;
    return (head - this.own + this.slots) % this.slots;
  }

  empty(): boolean {
    return this.available() === 0;
  }

  /**
   * Takes the next descriptor, or undefined if empty (or corrupt). `wasFull` tells whether
   * the queue was full before (then the producer needs a wake-up signal).
   */
  get(): { d: D; wasFull: boolean } | undefined {
    if (this.role !== 'consumer') throw new Error('get on the producer side');
    const head = this.peer();
    if (head < 0 || head === this.own) return undefined;
    const d = this.codec.read(this.view, this.own * this.codec.size);
    const wasFull = (head + 1) % this.slots === this.own;
    this.own = (this.own + 1) % this.slots;
    store(this.idx, 1, this.own);
    /* a producer that found the queue full before this store sleeps until told */
    return { d, wasFull: wasFull || (this.peer() + 1) % this.slots === (this.own + this.slots - 1) % this.slots };
  }

  /** The next descriptor without taking it. */
  peek(): D | undefined {
    const head = this.peer();
    if (head < 0 || head === this.own) return undefined;
    return this.codec.read(this.view, this.own * this.codec.size);
  }
}
