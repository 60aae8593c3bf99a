/* Packet streams: the shared-memory queues, descriptor checks, source and sink; Block request checks. */
import test from 'ava';
import { PacketDescriptorQueue, type DescriptorCodec } from '../../os/src/lib/packet_stream/queue.js';
import { PacketStreamSink, PacketStreamSource, checkPacket, streamLayout, type PacketDescriptor } from '../../os/src/lib/packet_stream/stream.js';
import { Opcode, blockPacketCodec, checkRequest, type BlockInfo, type BlockPacket } from '../../os/src/session/block/packet.js';
import { Xoshiro128, patternWord } from '../../os/src/app/block_tester/main.js';

interface P extends PacketDescriptor { tag: number }
const codec: DescriptorCodec<P> = {
  size: 24,
  write(v, at, d) { v.setFloat64(at, d.offset, true); v.setFloat64(at + 8, d.size, true); v.setUint32(at + 16, d.tag, true); },
  read(v, at) { return { offset: v.getFloat64(at, true), size: v.getFloat64(at + 8, true), tag: v.getUint32(at + 16, true) }; },
};

function pair(slots = 4) {
  const mem = new Uint8Array(4096);
  const prod = new PacketDescriptorQueue(mem, 64, slots, codec, 'producer');
  const cons = new PacketDescriptorQueue(mem, 64, slots, codec, 'consumer');
  return { mem, prod, cons, idx: new Int32Array(mem.buffer, 64, 2) };
}

test('queue: one slot stays free; empty and full conditions reported for the wake-up signals', (t) => {
  const { prod, cons } = pair(4);
  t.true(cons.empty());
  t.is(prod.slotsFree(), 3);
  t.deepEqual(prod.add({ offset: 1, size: 0, tag: 1 }), { added: true, wasEmpty: true });
  t.deepEqual(prod.add({ offset: 2, size: 0, tag: 2 }), { added: true, wasEmpty: false });
  t.deepEqual(prod.add({ offset: 3, size: 0, tag: 3 }), { added: true, wasEmpty: false });
  t.true(prod.full());
  t.false(prod.add({ offset: 4, size: 0, tag: 4 }).added);
  t.is(cons.available(), 3);
  const a = cons.get()!;
  t.is(a.d.tag, 1);
  t.true(a.wasFull);
  t.false(cons.get()!.wasFull);
  t.is(cons.get()!.d.tag, 3);
  t.is(cons.get(), undefined);
  /* wrap around many times */
  for (let i = 0; i < 100; i++) {
    t.true(prod.add({ offset: i, size: 0, tag: i }).added);
    t.is(cons.get()!.d.tag, i);
  }
});

test('queue: several descriptors published at once', (t) => {
  const { prod, cons } = pair(4);
  prod.add({ offset: 0, size: 0, tag: 0 });
  cons.get();
  const r = prod.addAll([1, 2, 3, 4].map((tag) => ({ offset: 0, size: 0, tag })));
  t.deepEqual(r, { added: 3, wasEmpty: true });
  t.deepEqual([cons.get()!.d.tag, cons.get()!.d.tag, cons.get()!.d.tag], [1, 2, 3]);
  t.is(cons.get(), undefined);
});

test('queue: garbage in the peer\'s index is a corrupt queue, never an out-of-range slot', (t) => {
  const { prod, cons, idx } = pair(4);
  prod.add({ offset: 0, size: 0, tag: 1 });
  idx[0] = 1000; // the producer's head, as a hostile producer writes it
  t.false(cons.peerIndexValid);
  t.is(cons.available(), 0);
  t.is(cons.get(), undefined);
  t.is(cons.peek(), undefined);
  idx[0] = -1;
  t.is(cons.get(), undefined);
  idx[0] = 1;
  t.is(cons.get()!.d.tag, 1);
  /* the consumer's tail written by a hostile consumer: the producer sees a full queue */
  idx[1] = 0x7fffffff;
  t.is(prod.slotsFree(), 0);
  t.false(prod.add({ offset: 0, size: 0, tag: 2 }).added);
  /* a peer overwriting the index this side owns changes nothing here: it is kept privately */
  idx[1] = 1;
  idx[0] = 3;
  t.true(prod.add({ offset: 0, size: 0, tag: 3 }).added);
  t.is(idx[0], 2);
});

const layout = streamLayout(64 * 1024, 256, blockPacketCodec);

test('descriptor checks: inside the bulk buffer only, integers only, no overflow', (t) => {
  const ok = (offset: number, size: number) => checkPacket({ offset, size }, layout);
  t.is(ok(layout.bulkOffset, 512), undefined);
  t.is(ok(layout.dsSize - 512, 512), undefined);
  t.is(ok(0, 0), undefined); // no payload
  t.regex(ok(layout.dsSize, 1)!, /past the bulk buffer/);
  t.regex(ok(layout.dsSize - 512, 513)!, /reach past/);
  t.regex(ok(0, 512)!, /before the bulk buffer/);
  t.regex(ok(-4096, 512)!, /before the bulk buffer/);
  t.regex(ok(layout.bulkOffset, -1)!, /not a byte count/);
  t.regex(ok(layout.bulkOffset, 2 ** 60)!, /not a byte count/);
  t.regex(ok(NaN, 512)!, /not an integer/);
  t.regex(ok(layout.bulkOffset + 0.5, 512)!, /not an integer/);
  t.regex(ok(layout.bulkOffset, Infinity)!, /not a byte count/);
  t.regex(ok(Number.MAX_SAFE_INTEGER - 10, 100)!, /past the bulk buffer/);
});

test('layout: queues first, the bulk buffer page-aligned behind them; too small a dataspace is refused', (t) => {
  t.is(layout.submitQueue, 0);
  t.is(layout.ackQueue, PacketDescriptorQueue.bytes(256, blockPacketCodec));
  t.is(layout.bulkOffset % 4096, 0);
  t.true(layout.bulkOffset >= 2 * layout.ackQueue);
  t.throws(() => streamLayout(8192, 256, blockPacketCodec), { instanceOf: RangeError });
});

function stream(size = 64 * 1024) {
  const mem = new Uint8Array(size);
  const signals: string[] = [];
  const sink = new PacketStreamSink<BlockPacket>(mem, 256, blockPacketCodec, () => { signals.push('to-source'); });
  const source = new PacketStreamSource<BlockPacket>(mem, 256, blockPacketCodec, () => { signals.push('to-sink'); });
  /* the signal contexts as exchanged at session setup */
  const ctx = (name: string) => ({ name }) as never;
  source.packetAvail.cap = ctx('packet_avail');
  source.readyToAck.cap = ctx('ready_to_ack');
  sink.readyToSubmit.cap = ctx('ready_to_submit');
  sink.ackAvail.cap = ctx('ack_avail');
  return { mem, sink, source, signals };
}

const read = (p: PacketDescriptor, tag: number): BlockPacket => ({ ...p, op: Opcode.READ, blockNumber: 0, count: 1, tag, success: false });

test('source and sink: payload through shared memory, acknowledgements matched to what was submitted', (t) => {
  const { sink, source, signals } = stream();
  const p = source.allocPacket(512, 9)!;
  t.is(p.offset % 512, 0);
  t.true(source.submitPacket(read(p, 7)));
  t.true(source.submitPacket(read(source.allocPacket(512, 9)!, 8)));
  t.deepEqual(signals, ['to-sink']); // packet_avail only for the first (the queue was empty)
  const refused: string[] = [];
  const got = sink.takePackets(64, (_d, why) => refused.push(why));
  t.is(got.length, 2);
  sink.content(got[0]).fill(0xab);
  got[0].success = true;
  t.true(sink.ackPacket(got[0]));
  t.true(sink.ackPacket(got[1]));
  const a = source.getAckedPacket()!;
  t.is(a.submitted.tag, 7);
  t.true(a.ack.success);
  t.is(source.content(a.submitted)[0], 0xab);
  source.releasePacket(a.submitted);
  t.is(source.getAckedPacket()!.submitted.tag, 8);
  t.is(source.pending, 0);
  t.deepEqual(refused, []);
});

test('sink: overlapping packets in flight are dropped; taking is bounded by the free ack slots', (t) => {
  const { sink, source } = stream();
  const p = source.allocPacket(1024)!;
  source.submitPacket(read(p, 1));
  source.submitPacket(read({ offset: p.offset + 512, size: 512 }, 2));
  const refused: string[] = [];
  const got = sink.takePackets(64, (_d, why) => refused.push(why));
  t.is(got.length, 1);
  t.regex(refused[0], /overlap a packet in flight/);
  sink.ackPacket(got[0]);
  /* 255 acks waiting (a full queue): the sink takes nothing more until the source takes some */
  let n = 0;
  for (;;) {
    if (!source.submitPacket(read({ offset: 0, size: 0 }, 100 + n))) break;
    n++;
    for (const d of sink.takePackets(64, () => {})) sink.ackPacket(d);
  }
  t.is(sink.capacity(), 0);
  t.true(sink.packetAvail());
  t.is(sink.takePackets(64, () => {}).length, 0);
  source.getAckedPacket();
  t.is(sink.capacity(), 1);
});

test('source: acknowledgements of packets never submitted are refused', (t) => {
  const { mem, source } = stream();
  const l = source.layout;
  /* a hostile sink writes an ack it was never given */
  const ackQ = new PacketDescriptorQueue<BlockPacket>(mem, l.ackQueue, 256, blockPacketCodec, 'producer');
  ackQ.add(read({ offset: l.bulkOffset, size: 512 }, 9));
  const refused: string[] = [];
  t.is(source.getAckedPacket((_d, why) => refused.push(why)), undefined);
  t.regex(refused[0], /never submitted/);
});

const info: BlockInfo = { blockSize: 512, blockCount: 100, alignLog2: 9, writeable: false };
const req = (p: Partial<BlockPacket>): BlockPacket => ({ offset: 4096, size: 512, op: Opcode.READ, blockNumber: 0, count: 1, tag: 1, success: false, ...p });

test('block requests: range, count, alignment, payload size, read-only, unknown operations', (t) => {
  t.is(checkRequest(req({}), info), undefined);
  t.is(checkRequest(req({ blockNumber: 99 }), info), undefined);
  t.regex(checkRequest(req({ blockNumber: 100 }), info)!, /beyond the device's 100 blocks/);
  t.regex(checkRequest(req({ blockNumber: 99, count: 2 }), info)!, /beyond/);
  t.regex(checkRequest(req({ count: 2 ** 40 }), info)!, /beyond/);
  t.regex(checkRequest(req({ blockNumber: -1 }), info)!, /block number -1 is invalid/);
  t.regex(checkRequest(req({ blockNumber: 0.5 }), info)!, /invalid/);
  t.regex(checkRequest(req({ count: NaN }), info)!, /block count NaN is invalid/);
  t.regex(checkRequest(req({ count: 0 }), info)!, /no blocks/);
  t.regex(checkRequest(req({ count: 2 }), info)!, /do not fit/);
  t.regex(checkRequest(req({ offset: 4097 }), info)!, /not aligned to 512 bytes/);
  t.regex(checkRequest(req({ op: Opcode.WRITE }), info)!, /read-only/);
  t.regex(checkRequest(req({ op: Opcode.TRIM }), info)!, /read-only/);
  t.is(checkRequest(req({ op: Opcode.WRITE }), { ...info, writeable: true }), undefined);
  t.is(checkRequest(req({ op: Opcode.SYNC, size: 0, offset: 0, count: 100 }), info), undefined);
  t.regex(checkRequest(req({ op: 7 as Opcode }), info)!, /unknown operation 7/);
});

test('block packets survive the shared-memory encoding, forged values included', (t) => {
  const mem = new Uint8Array(1024);
  const v = new DataView(mem.buffer);
  const p = req({ blockNumber: 2 ** 40, count: -3, tag: 0xffffffff, success: true, offset: NaN });
  blockPacketCodec.write(v, 48, p);
  const q = blockPacketCodec.read(v, 48);
  t.deepEqual({ ...q, offset: 0 }, { ...p, offset: 0 });
  t.true(Number.isNaN(q.offset));
});

test('block_tester: its PRNG and write pattern are deterministic and distinguish blocks and stamps', (t) => {
  const a = new Xoshiro128(42);
  const b = new Xoshiro128(42);
  const xs = Array.from({ length: 8 }, () => a.next());
  t.deepEqual(Array.from({ length: 8 }, () => b.next()), xs);
  t.true(new Set(xs).size === 8);
  t.true(Array.from({ length: 1000 }, () => a.below(10)).every((x) => x >= 0 && x < 10));
  t.not(patternWord(1, 1, 0), patternWord(2, 1, 0));
  t.not(patternWord(1, 1, 0), patternWord(1, 2, 0));
  t.not(patternWord(1, 1, 0), patternWord(1, 1, 1));
});
