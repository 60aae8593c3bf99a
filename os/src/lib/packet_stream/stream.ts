/*
 * Packet streams (Genode's os/packet_stream.h): asynchronous bulk transfer between a source
 * and a sink through one dataspace the client paid for. The dataspace holds the submit
 * queue (source -> sink), the acknowledgement queue (sink -> source) and the bulk buffer.
 * The source allocates packets in the bulk buffer, fills them, and submits their
 * descriptors; the sink processes them and acknowledges the same descriptors; the source
 * then takes the acknowledgements and frees the packets. Nothing of the payload is copied
 * through RPC. The four conditions (submit queue no longer empty / no longer full, ack
 * queue no longer empty / no longer full) wake the other side with a signal:
 *
 *   packet_avail     source -> sink    a packet was submitted to an empty submit queue
 *   ready_to_submit  sink -> source    the sink took a packet from a full submit queue
 *   ack_avail        sink -> source    an acknowledgement went into an empty ack queue
 *   ready_to_ack     source -> sink    the source took an acknowledgement from a full ack queue
 *
 * Neither side trusts the other: every descriptor read from shared memory is checked
 * (`checkPacket`) before its offset and size are used, and the queue indices are checked by
 * the queues themselves.
 */
import type { Capability } from '../../../../base/src/capability.js';
import type { SignalContext } from '../../../../base/src/session/signal/session.js';
import { RangeAllocator } from '../../../../base/src/util/range_allocator.js';
import { PacketDescriptorQueue, type DescriptorCodec } from './queue.js';

/** The part of every packet descriptor the stream itself looks at (Genode's Packet_descriptor). */
export interface PacketDescriptor {
  /** Byte offset of the payload within the dataspace (not within the bulk buffer, as in Genode). */
  offset: number;
  /** Payload bytes (0: a packet without payload). */
  size: number;
}

/** Where the queues and the bulk buffer lie in the dataspace. */
export interface StreamLayout {
  readonly queueSlots: number;
  readonly submitQueue: number;
  readonly ackQueue: number;
  readonly bulkOffset: number;
  readonly bulkSize: number;
  readonly dsSize: number;
}

export const BULK_ALIGN = 4096;

export function streamLayout(dsSize: number, queueSlots: number, codec: DescriptorCodec<unknown>): StreamLayout {
  const q = PacketDescriptorQueue.bytes(queueSlots, codec);
  const bulkOffset = Math.ceil((2 * q) / BULK_ALIGN) * BULK_ALIGN;
  if (bulkOffset >= dsSize) throw new RangeError(`a packet-stream dataspace of ${dsSize} bytes leaves no room for a bulk buffer after two queues of ${queueSlots} slots`);
  return { queueSlots, submitQueue: 0, ackQueue: q, bulkOffset, bulkSize: dsSize - bulkOffset, dsSize };
}

/**
 * Why a descriptor from the peer is unusable, or undefined if its payload lies within the
 * bulk buffer. Every number must be a safe integer: NaN, fractions, negative or huge values
 * and offset + size overflowing the buffer are all refused.
 */
export function checkPacket(d: PacketDescriptor, l: StreamLayout): string | undefined {
  const { offset, size } = d;
  if (!Number.isSafeInteger(size) || size < 0) return `size ${size} is not a byte count`;
  if (!Number.isSafeInteger(offset)) return `offset ${offset} is not an integer`;
  if (size === 0) return undefined;
  if (offset < l.bulkOffset) return `offset ${offset} lies before the bulk buffer (at ${l.bulkOffset})`;
  if (offset >= l.dsSize) return `offset ${offset} lies past the bulk buffer (which ends at ${l.dsSize})`;
  if (size > l.dsSize - offset) return `${size} bytes at offset ${offset} reach past the bulk buffer (which ends at ${l.dsSize})`;
  return undefined;
}

export type Submitter = (ctx: Capability<SignalContext>) => void | Promise<void>;

/** The signal contexts of one side, once the peer told them. */
class Wakeup {
  cap: Capability<SignalContext> | undefined;
  constructor(private readonly submit: Submitter) {}
  fire(): void {
    if (this.cap) void this.submit(this.cap);
  }
}

/* ------------------------------------------------------------------ source */

export class PacketStreamSource<D extends PacketDescriptor> {
  readonly layout: StreamLayout;
  private readonly submitQ: PacketDescriptorQueue<D>;
  private readonly ackQ: PacketDescriptorQueue<D>;
  private readonly alloc = new RangeAllocator();
  /** Packets submitted and not yet acknowledged, by offset (payload-less ones by a counter). */
  private readonly inFlight = new Map<number, D>();
  private nextPayloadless = -1;
  readonly packetAvail: Wakeup;
  readonly readyToAck: Wakeup;

  constructor(readonly memory: Uint8Array, queueSlots: number, codec: DescriptorCodec<D>, submit: Submitter) {
    this.layout = streamLayout(memory.length, queueSlots, codec);
    this.submitQ = new PacketDescriptorQueue(memory, this.layout.submitQueue, queueSlots, codec, 'producer');
    this.ackQ = new PacketDescriptorQueue(memory, this.layout.ackQueue, queueSlots, codec, 'consumer');
    this.alloc.add(this.layout.bulkOffset, this.layout.bulkSize);
    this.packetAvail = new Wakeup(submit);
    this.readyToAck = new Wakeup(submit);
  }

  /** A packet of `size` bytes aligned to 2^alignLog2 in the bulk buffer, or undefined if none is free. */
  allocPacket(size: number, alignLog2 = 0): PacketDescriptor | undefined {
    if (size === 0) return { offset: 0, size: 0 };
    const offset = this.alloc.alloc(size, 2 ** alignLog2);
    return offset === undefined ? undefined : { offset, size };
  }

  releasePacket(d: PacketDescriptor): void {
    if (d.size > 0) this.alloc.freeAt(d.offset);
  }

  content(d: PacketDescriptor): Uint8Array {
    return this.memory.subarray(d.offset, d.offset + d.size);
  }

  get bulkAvail(): number {
    return this.alloc.avail();
  }

  readyToSubmit(): boolean {
    return !this.submitQ.full();
  }

  /** Submits a packet; false if the submit queue is full (wait for ready_to_submit). */
  submitPacket(d: D): boolean {
    const r = this.submitQ.add(d);
    if (!r.added) return false;
    this.inFlight.set(d.size > 0 ? d.offset : this.nextPayloadless--, d);
    if (r.wasEmpty) this.packetAvail.fire();
    return true;
  }

  /** Submitted packets not yet acknowledged. */
  get pending(): number {
    return this.inFlight.size;
  }

  /**
   * The next acknowledgement, if any, with the descriptor as it was submitted. The sink is
   * not trusted either: an acknowledgement that matches no packet in flight (by offset and
   * size) is passed to `refused` and skipped. Payload-less packets match in submission order.
   */
  getAckedPacket(refused?: (d: D, why: string) => void): { submitted: D; ack: D } | undefined {
    for (;;) {
      const r = this.ackQ.get();
      if (!r) return undefined;
      if (r.wasFull) this.readyToAck.fire();
      const d = r.d;
      let key: number | undefined;
      if (Number.isSafeInteger(d.size) && d.size > 0) key = this.inFlight.get(d.offset)?.size === d.size ? d.offset : undefined;
      else if (d.size === 0) key = [...this.inFlight.keys()].filter((k) => k < 0).sort((a, b) => b - a)[0];
      if (key === undefined) {
        refused?.(d, `acknowledgement of a packet never submitted (offset ${d.offset}, size ${d.size})`);
        continue;
      }
      const submitted = this.inFlight.get(key)!;
      this.inFlight.delete(key);
      return { submitted, ack: d };
    }
  }

  /** Whether the ack queue's head (the sink's index) is garbage. */
  get ackQueueCorrupt(): boolean {
    return !this.ackQ.peerIndexValid;
  }
}

/* ------------------------------------------------------------------ sink */

export type Refusal<D> = (d: D | undefined, why: string) => void;

export class PacketStreamSink<D extends PacketDescriptor> {
  readonly layout: StreamLayout;
  private readonly submitQ: PacketDescriptorQueue<D>;
  private readonly ackQ: PacketDescriptorQueue<D>;
  /** Packets taken and not yet acknowledged, as [start, end) ranges. */
  private readonly inFlight = new Set<D>();
  readonly readyToSubmit: Wakeup;
  readonly ackAvail: Wakeup;

  constructor(readonly memory: Uint8Array, queueSlots: number, codec: DescriptorCodec<D>, submit: Submitter) {
    this.layout = streamLayout(memory.length, queueSlots, codec);
    this.submitQ = new PacketDescriptorQueue(memory, this.layout.submitQueue, queueSlots, codec, 'consumer');
    this.ackQ = new PacketDescriptorQueue(memory, this.layout.ackQueue, queueSlots, codec, 'producer');
    this.readyToSubmit = new Wakeup(submit);
    this.ackAvail = new Wakeup(submit);
  }

  /** Whether the submit queue holds packets (and its head is sane). */
  packetAvail(): boolean {
    return !this.submitQ.empty();
  }

  /** The peer's garbage queue index, if any (for one clear log message). */
  queueProblem(): string | undefined {
    if (!this.submitQ.peerIndexValid) return `submit-queue head ${this.submitQ.peerIndexRaw} is outside the queue of ${this.layout.queueSlots} slots`;
    if (!this.ackQ.peerIndexValid) return `ack-queue tail ${this.ackQ.peerIndexRaw} is outside the queue of ${this.layout.queueSlots} slots`;
    return undefined;
  }

  /** How many more packets may be taken now: each taken packet must have an ack slot waiting. */
  capacity(): number {
    return Math.max(0, this.ackQ.slotsFree() - this.inFlight.size);
  }

  /**
   * Takes up to `max` packets (never more than `capacity()`), checking each: a descriptor
   * whose payload is outside the bulk buffer or overlaps a packet in flight is dropped
   * (passed to `refuse`, not acknowledged, since its payload cannot be trusted) and counts
   * towards `max` too, so a flood of garbage is bounded per call.
   */
  takePackets(max: number, refuse: Refusal<D>, check?: (d: D) => string | undefined): D[] {
    const out: D[] = [];
    let n = Math.min(max, this.capacity());
    while (n-- > 0) {
      const r = this.submitQ.get();
      if (!r) break;
      if (r.wasFull) this.readyToSubmit.fire();
      const d = r.d;
      const why = checkPacket(d, this.layout) ?? check?.(d) ?? this.overlap(d);
      if (why) {
        refuse(d, why);
        continue;
      }
      this.inFlight.add(d);
      out.push(d);
    }
    return out;
  }

  private overlap(d: D): string | undefined {
    if (d.size === 0) return undefined;
    for (const o of this.inFlight) {
      if (o.size > 0 && d.offset < o.offset + o.size && o.offset < d.offset + d.size) {
        return `${d.size} bytes at offset ${d.offset} overlap a packet in flight (${o.size} bytes at ${o.offset})`;
      }
    }
    return undefined;
  }

  /** The payload of a packet taken by `takePackets` (checked there). */
  content(d: D): Uint8Array {
    return this.memory.subarray(d.offset, d.offset + d.size);
  }

  /** Acknowledges a packet taken earlier; false if the peer broke the ack queue meanwhile. */
  ackPacket(d: D): boolean {
    if (!this.inFlight.delete(d)) throw new Error('acknowledging a packet that is not in flight');
    const r = this.ackQ.add(d);
    if (r.wasEmpty) this.ackAvail.fire();
    return r.added;
  }

  get inFlightCount(): number {
    return this.inFlight.size;
  }
}
