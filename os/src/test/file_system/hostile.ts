/*
 * test-file_system_hostile: a File_system client that attacks the vfs server: forged and
 * mistyped handle ids, bad names and paths (root escapes, "..", '/', empty, too long,
 * control characters), a handle flood, and through the packet stream's shared memory
 * itself forged descriptors (outside the buffer, negative, huge, NaN), invalid packets
 * (unknown handles, lengths past the payload, negative and huge positions, wrong modes),
 * a second CONTENT_CHANGED packet per watch, garbage queue indices and a queue flood.
 * It checks each refusal and that the server still serves it afterwards.
 */
import { Connection } from '../../../../base/src/lib/connection.js';
import type { Env } from '../../../../base/src/lib/env.js';
import { describeError, openLog } from '../../lib/log.js';
import { rpc, rpcInterface } from '../../../../base/src/rpc/interface.js';
import { bool, int, str } from '../../../../base/src/rpc/types.js';
import { DIRENT_SIZE, FsOpcode, MAX_NAME_LEN, MAX_PATH_LEN, fsPacketCodec, type FsPacket } from '../../session/file_system/packet.js';
import { FileSystemSession, FsMode } from '../../session/file_system/session.js';
import { TimerConnection } from '../../session/timer/connection.js';
import { openRawStream } from '../packet_stream/raw_stream.js';
import { refusal } from './util.js';

const TX = 128 * 1024;

/** The session's first RPC as a client that ignores the name bound would declare it. */
@rpcInterface('File_system')
abstract class WideFileSystem {
  @rpc({ args: [int, str(512), int, bool], result: int }) abstract file: (dir: number, name: string, mode: number, create: boolean) => Promise<number>;
}
const SETTLE_MS = 200;

export async function construct(env: Env): Promise<void> {
  const log = await openLog(env);
  const timer = await TimerConnection.open(env);
  const fail = async (what: string) => { await log(`Error: ${what}`); await env.exit(1); };
  try {
    await log(`8 MiB stream buffer with a ${FileSystemSession.RAM_QUOTA}-byte donation: ${await refusal(
      Connection.open(env, FileSystemSession, { label: 'greedy', retries: 0, args: { tx_buf_size: 8 * 1024 * 1024 } }), 'greedy session')}`);
    const c = await Connection.open(env, FileSystemSession, { ramQuota: FileSystemSession.RAM_QUOTA + TX + 64 * 1024, args: { tx_buf_size: TX } });
    const s = c.session;

    /* ---------------------------------------------------------------- RPCs */
    const root = await s.dir('/', false);
    const file = await s.file(root, 'victim', FsMode.READ_WRITE, true);
    const rdonly = await s.file(root, 'victim', FsMode.READ_ONLY, false);
    const node = await s.node('/victim');
    const forged = [
      await refusal(s.status(4242), 'status of a forged handle'),
      await refusal(s.close(-1), 'close of handle -1'),
      await refusal(s.close(2 ** 40), 'close of a huge handle'),
      await refusal(s.file(4242, 'x', FsMode.READ_ONLY, false), 'file in a forged directory'),
      await refusal(s.file(file, 'x', FsMode.READ_ONLY, false), 'file in a file handle'),
      await refusal(s.truncate(root, 0), 'truncate of a directory handle'),
      await refusal(s.numEntries(node), 'numEntries of a node handle'),
      await refusal(s.move(file, 'a', root, 'b'), 'move from a file handle'),
    ];
    if (!forged.every((n) => n === 'InvalidHandle')) return fail(`forged handles: ${forged.join(', ')}`);
    await log(`${forged.length} forged or mistyped handles: InvalidHandle`);

    const names: Array<[string, string]> = [
      ['', 'InvalidName'], ['.', 'InvalidName'], ['..', 'InvalidName'], ['/', 'InvalidName'], ['a/b', 'InvalidName'],
      ['x'.repeat(MAX_NAME_LEN + 1), 'MessageOverflow'], ['ctl\u0001', 'InvalidName'],
    ];
    for (const [name, want] of names) {
      const got = await refusal(s.file(root, name, FsMode.READ_WRITE, true), `name "${name.slice(0, 20)}"`);
      if (got !== want) return fail(`name "${name.slice(0, 20)}": ${got}, expected ${want}`);
    }
    const moveTo = await refusal(s.move(root, 'victim', root, '..'), 'move to ..');
    if (moveTo !== 'InvalidName') return fail(`move to "..": ${moveTo}`);
    await log(`${names.length + 1} bad names refused (InvalidName; a name over ${MAX_NAME_LEN} bytes does not leave this client: MessageOverflow)`);
    /* the same through an interface that declares longer names: the server's RPC layer refuses the message */
    const wide = env.rpc(WideFileSystem, c.cap as never);
    const long = await refusal(wide.file(root, 'w'.repeat(MAX_NAME_LEN + 20), FsMode.READ_WRITE, true), 'a long name sent anyway');
    if (long !== 'IpcError') return fail(`a name of ${MAX_NAME_LEN + 20} bytes sent anyway: ${long}`);
    await log(`a name of ${MAX_NAME_LEN + 20} bytes sent anyway: refused by the server as a malformed message (${long})`);

    const paths: Array<[string, string]> = [
      ['/..', 'InvalidName'], ['/a/../../x', 'InvalidName'], ['relative', 'InvalidName'], ['', 'InvalidName'],
      ['/./victim', 'InvalidName'], [`/${'y'.repeat(MAX_PATH_LEN + 1)}`, 'MessageOverflow'],
    ];
    for (const [path, want] of paths) {
      const got = await refusal(s.dir(path, false), `path "${path.slice(0, 20)}"`);
      const got2 = await refusal(s.node(path), `node "${path.slice(0, 20)}"`);
      if (got !== want || got2 !== want) return fail(`path "${path.slice(0, 20)}": ${got} / ${got2}, expected ${want}`);
    }
    await log(`${paths.length} root escapes and bad paths refused`);

    const tr = [await refusal(s.truncate(file, -1), 'truncate to -1'), await refusal(s.truncate(file, 2 ** 50), 'truncate to 2^50'), await refusal(s.truncate(rdonly, 0), 'truncate of a read-only handle')];
    if (tr.join() !== 'InvalidName,OutOfRam,PermissionDenied') return fail(`truncate: ${tr.join()}`);
    await log(`truncate to -1, to 2^50, of a read-only handle: ${tr.join(', ')}`);

    /* handles until refused */
    const flood: number[] = [];
    let why = '';
    for (;;) {
      try {
        flood.push(await s.dir('/', false));
      } catch (e) {
        why = e instanceof Error ? e.name : String(e);
        break;
      }
      if (flood.length > 1000) return fail('no handle limit');
    }
    for (const h of flood) await s.close(h);
    await log(`handle flood: ${flood.length} more handles, then ${why}; all closed again`);

    /* ---------------------------------------------------------------- packets */
    const raw = await openRawStream(env, timer, s, FileSystemSession.QUEUE_SLOTS, fsPacketCodec);
    const { mem, size, layout: L, submitQueue: submitQ, submitIndices: submitIdx, packetAvail, submit, collect } = raw;
    let tag = 1;
    let slot = 0;
    const place = () => L.bulkOffset + (slot++ % 24) * 4096;
    const pkt = (p: Partial<FsPacket>): FsPacket => ({ offset: place(), size: 1024, op: FsOpcode.READ, handle: file, position: 0, length: 16, tag: tag++, success: false, ...p });
    const marker = () => ({ offset: 0, size: 0, op: FsOpcode.SYNC, handle: root, position: 0, length: 0, tag: tag++, success: false });

    /* forged descriptors: dropped, never acknowledged */
    const dropped = [
      pkt({ offset: size + 4096 }), pkt({ offset: -4096 }), pkt({ size: -1 }), pkt({ size: 2 ** 60 }),
      pkt({ offset: NaN }), pkt({ offset: 0, size: 512 }), pkt({ offset: size - 100, size: 1024 }),
    ];
    const m1 = marker();
    await submit(...dropped, m1);
    let got = await collect(1);
    if (got.length !== 1 || got[0].tag !== m1.tag) return fail(`forged descriptors: got tags ${got.map((p) => p.tag).join(',')}`);
    await log(`${dropped.length} forged descriptors dropped, none acknowledged; the marker behind them came back`);

    /* invalid packets: acknowledged with success=false */
    const watch = await s.watch('/victim');
    const invalid = [
      pkt({ handle: 4242 }), pkt({ handle: node }), pkt({ length: 2048 }), pkt({ position: -5 }), pkt({ position: 2 ** 53 }),
      pkt({ length: NaN }), pkt({ op: FsOpcode.WRITE, handle: rdonly }), pkt({ handle: root, position: 7, length: DIRENT_SIZE, size: DIRENT_SIZE }),
      pkt({ op: 99 as FsOpcode }), pkt({ op: FsOpcode.WRITE, position: 1e12 }), pkt({ op: FsOpcode.CONTENT_CHANGED, handle: file, size: 0, offset: 0 }),
      pkt({ op: FsOpcode.WRITE_TIMESTAMP, timestamp: 1 }), pkt({ op: FsOpcode.READ, handle: watch }),
    ];
    await submit(...invalid);
    got = await collect(invalid.length);
    const wrong = got.filter((p) => p.success || !invalid.some((q) => q.tag === p.tag));
    if (got.length !== invalid.length || wrong.length > 0) return fail(`invalid packets: ${got.length} acks, ${wrong.length} wrong`);
    await log(`${invalid.length} invalid packets acknowledged with success=false`);

    /* two CONTENT_CHANGED packets for one watch: the second refused, the first held until the watch closes */
    const w1 = pkt({ op: FsOpcode.CONTENT_CHANGED, handle: watch, offset: 0, size: 0 });
    const w2 = pkt({ op: FsOpcode.CONTENT_CHANGED, handle: watch, offset: 0, size: 0 });
    await submit(w1, w2);
    got = await collect(1);
    if (got.length !== 1 || got[0].tag !== w2.tag || got[0].success) return fail(`second watch packet: ${got.map((p) => `${p.tag}:${p.success}`).join(',')}`);
    await s.close(watch);
    got = await collect(1);
    if (got.length !== 1 || got[0].tag !== w1.tag || got[0].success) return fail('held watch packet not returned on close');
    await log('second CONTENT_CHANGED packet of a watch refused; the held one returned with success=false when the watch closed');

    /* a garbage submit-queue head: nothing served until it is repaired */
    const head = submitIdx[0];
    submitIdx[0] = 0x7ffffff0;
    await env.submit(packetAvail, 3);
    await timer.msleep(SETTLE_MS);
    submitIdx[0] = head;
    const m2 = marker();
    await submit(m2);
    got = await collect(1);
    if (got.length !== 1 || got[0].tag !== m2.tag) return fail('no service after repairing the submit queue');
    await log('garbage submit-queue head: nothing served meanwhile, served again once repaired');

    /* a flood: a full submit queue of requests and 1000 signals, acknowledgements taken late */
    const n = L.queueSlots - 1;
    for (let i = 0; i < n; i++) if (!submitQ.add(marker()).added) return fail('submit queue full early');
    await env.submit(packetAvail, 1000);
    got = await collect(n);
    if (got.length !== n || !got.every((p) => p.success)) return fail(`flood: ${got.length} of ${n} acknowledged`);
    await log(`flood of ${n} packets and 1000 signals: all ${n} acknowledged`);

    /* still served: a write and a read back */
    const wr = pkt({ op: FsOpcode.WRITE, position: 0, length: 5 });
    mem.set(new TextEncoder().encode('hello'), wr.offset);
    await submit(wr);
    got = await collect(1);
    const rd = pkt({ op: FsOpcode.READ, position: 0, length: 5 });
    await submit(rd);
    got.push(...(await collect(1)));
    const text = new TextDecoder().decode(mem.subarray(rd.offset, rd.offset + 5));
    if (!got.every((p) => p.success) || got[1]?.length !== 5 || text !== 'hello') return fail(`final write/read: ${text}`);
    await log('after all attacks the server still serves this session');
    await env.exit(0);
  } catch (e) {
    await fail(describeError(e));
  }
}
