/*
 * test-block_hostile: a Block client that does not use the client library but writes the
 * packet stream's shared memory itself: forged descriptors (outside the bulk buffer,
 * negative, huge, fractional, NaN, in the queues), invalid requests, overlapping packets in
 * flight, garbage queue indices, and floods of the submit queue and of signals. It checks
 * what came back (only what should) and that the server still serves it afterwards.
 */
import { Connection } from '../../../../base/src/lib/connection.js';
import type { Env } from '../../../../base/src/lib/env.js';
import { describeError, openLog } from '../../lib/log.js';
import { Opcode, blockPacketCodec, type BlockPacket } from '../../session/block/packet.js';
import { BlockSession } from '../../session/block/session.js';
import { TimerConnection } from '../../session/timer/connection.js';
import { openRawStream } from '../packet_stream/raw_stream.js';

const TX = 64 * 1024;
/** How long the server gets to look at a broken queue (virtual time on the emulated kernels). */
const SETTLE_MS = 200;

export async function construct(env: Env): Promise<void> {
  const log = await openLog(env);
  const timer = await TimerConnection.open(env);
  /* the stream's dataspace is the client's to pay: asking for more than the donation fails */
  try {
    await Connection.open(env, BlockSession, { label: 'greedy', retries: 0, args: { tx_buf_size: 64 * 1024 * 1024 } });
    await log('Error: a 64 MiB stream buffer without donating it was granted');
  } catch (e) {
    await log(`64 MiB stream buffer with a ${BlockSession.RAM_QUOTA}-byte donation: ${e instanceof Error ? e.name : String(e)}`);
  }
  const c = await Connection.open(env, BlockSession, { ramQuota: BlockSession.RAM_QUOTA + TX, args: { tx_buf_size: TX } });
  const s = c.session;
  const info = await s.info();
  const raw = await openRawStream(env, timer, s, BlockSession.QUEUE_SLOTS, blockPacketCodec);
  const { size, layout: L, submitQueue: submitQ, ackQueue: ackQ, submitIndices: submitIdx, ackIndices: ackIdx, packetAvail, readyToAck, submit, collect } = raw;
  const bs = info.blockSize;
  let tag = 1;
  const pkt = (p: Partial<BlockPacket>): BlockPacket => ({ offset: L.bulkOffset, size: bs, op: Opcode.READ, blockNumber: 0, count: 1, tag: tag++, success: false, ...p });
  const marker = () => pkt({ op: Opcode.SYNC, offset: 0, size: 0, count: 0 });
  const fail = async (what: string) => { await log(`Error: ${what}`); await env.exit(1); };

  try {
    await log(`attacking: ${size}-byte stream, bulk buffer at ${L.bulkOffset}, ${L.queueSlots}-slot queues`);

    /* 1: descriptors whose payload is not in the bulk buffer: dropped, never acknowledged */
    const forged = [
      pkt({ offset: size + 4096 }), pkt({ offset: -4096 }), pkt({ size: -1 }), pkt({ size: 2 ** 60 }),
      pkt({ offset: NaN }), pkt({ offset: L.bulkOffset + 0.5 }), pkt({ offset: 0, size: 512 }),
      pkt({ offset: size - bs, size: 2 * bs }), pkt({ offset: Number.MAX_SAFE_INTEGER + 2 }), pkt({ size: Infinity }),
    ];
    const m1 = marker();
    await submit(...forged, m1);
    let got = await collect(1);
    if (got.length !== 1 || got[0].tag !== m1.tag) return fail(`forged descriptors: expected only the marker back, got tags ${got.map((p) => p.tag).join(',')}`);
    await log(`${forged.length} forged descriptors dropped, none acknowledged; the marker behind them came back`);

    /* 2: valid payloads, requests the device refuses: acknowledged with success=false */
    const invalid = [
      { blockNumber: info.blockCount }, { count: 2 ** 40 }, { count: 0 }, { offset: 1 },
      { op: 99 as Opcode }, { count: 2 }, { blockNumber: -1 }, { blockNumber: 2 ** 53 },
    ].map((p, i) => pkt({ ...p, offset: L.bulkOffset + i * 2 * bs + (p.offset ?? 0) })); // apart, so none overlaps
    await submit(...invalid);
    got = await collect(invalid.length);
    const wrong = got.filter((p) => p.success || !invalid.some((q) => q.tag === p.tag));
    if (got.length !== invalid.length || wrong.length > 0) return fail(`invalid requests: ${got.length} acks, ${wrong.length} wrong`);
    await log(`${invalid.length} invalid requests acknowledged with success=false`);

    /* 3: two packets at the same place in one batch: the second is dropped */
    const a = pkt({});
    const b = pkt({ offset: L.bulkOffset + bs / 2 });
    const d = pkt({ offset: L.bulkOffset + 4 * bs });
    await submit(a, b, d);
    got = await collect(2);
    await timer.msleep(50);
    got.push(...(await collect(1, 100)));
    if (got.length !== 2 || !got.every((p) => p.success) || got.some((p) => p.tag === b.tag)) return fail(`overlap: got tags ${got.map((p) => `${p.tag}:${p.success}`).join(',')}`);
    await log('overlapping packet in flight dropped, the other two served');

    /* 4: a garbage submit-queue head: the server serves nothing until it is repaired */
    const head = submitIdx[0];
    submitIdx[0] = 0x7ffffff0;
    for (let i = 0; i < 3; i++) await env.submit(packetAvail);
    await timer.msleep(SETTLE_MS);
    submitIdx[0] = head;
    const m2 = marker();
    await submit(m2);
    got = await collect(1);
    if (got.length !== 1 || got[0].tag !== m2.tag) return fail('no service after repairing the submit queue');
    await log('garbage submit-queue head: nothing served meanwhile, served again once repaired');

    /* 5: a garbage ack-queue tail: the server cannot acknowledge, so it takes nothing */
    const tail = ackIdx[1];
    ackIdx[1] = 0xdeadbeef | 0;
    const m3 = marker();
    await submit(m3);
    await timer.msleep(SETTLE_MS);
    ackIdx[1] = tail;
    if (ackQ.available() !== 0) return fail('acknowledged through a broken ack queue');
    await env.submit(readyToAck);
    got = await collect(1);
    if (got.length !== 1 || got[0].tag !== m3.tag) return fail('no service after repairing the ack queue');
    await log('garbage ack-queue tail: nothing taken meanwhile, served once repaired');

    /* 6: a flood of garbage descriptors: dropped, logged in bounded form */
    /* exactly one queue's worth: the queue was empty, and on linux the server may take some meanwhile */
    const junk = L.queueSlots - 1;
    for (let i = 0; i < junk; i++) if (!submitQ.add(pkt({ offset: -1 - i, size: 1 })).added) return fail('submit queue full early');
    await env.submit(packetAvail, 1000);
    await timer.msleep(50);
    const m4 = marker();
    await submit(m4);
    got = await collect(1);
    if (got.length !== 1 || got[0].tag !== m4.tag) return fail('no marker after the garbage flood');
    await log(`flood of ${junk} garbage descriptors and 1000 signals: all dropped, the marker came back`);

    /* 7: a flood of valid requests while never taking acknowledgements */
    let queued = 0;
    const until = async (cond: () => boolean) => {
      for (let i = 0; i < 200 && !cond(); i++) await timer.msleep(10);
    };
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < L.queueSlots - 1; i++, queued++) if (!submitQ.add(marker()).added) return fail('submit queue full early');
      await env.submit(packetAvail, 100);
      /* the first round fills the ack queue, the second stays in the submit queue */
      if (round === 0) await until(() => ackQ.available() === L.queueSlots - 1);
      else await timer.msleep(SETTLE_MS);
    }
    const waiting = ackQ.available();
    await log(`flood of ${queued} requests without taking acknowledgements: the server acknowledged ${waiting} (a full ack queue) and waits`);
    got = await collect(queued);
    if (got.length !== queued || !got.every((p) => p.success)) return fail(`flood: ${got.length} of ${queued} acknowledged`);
    await log(`flood drained: all ${queued} acknowledged once taken`);

    /* finally, an ordinary read */
    const r = pkt({});
    await submit(r);
    got = await collect(1);
    if (got.length !== 1 || !got[0].success) return fail('final read failed');
    await log('after all attacks the server still serves this session');
    await env.exit(0);
  } catch (e) {
    await fail(describeError(e));
  }
}
