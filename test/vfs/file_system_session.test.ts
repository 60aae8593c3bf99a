import test from 'ava';
import { OutOfRam } from '../../base/src/errors.js';
import { QuotaGuard } from '../../base/src/lib/quota_guard.js';
import { StorageLedger } from '../../os/src/server/vfs/storage_ledger.js';
import { fsErrorOf } from '../../os/src/server/vfs/session_component.js';
import { LookupFailed, NodeAlreadyExists, NotEmpty, PermissionDenied, Unavailable } from '../../os/src/session/file_system/errors.js';
import {
  DIRENT_SIZE, FsNodeType, FsOpcode, SEEK_TAIL, checkFsPacket, fsPacketCodec, readDirEntry, rwxBits, rwxOf, writeDirEntry, type FsPacket,
} from '../../os/src/session/file_system/packet.js';
import { VfsError } from '../../os/src/lib/vfs/file_system.js';

const pkt = (p: Partial<FsPacket>): FsPacket => ({ offset: 4096, size: 100, op: FsOpcode.READ, handle: 1, position: 0, length: 10, tag: 1, success: false, ...p });

test('packet codec: every field survives a slot, u32 fields wrap as stored', (t) => {
  const v = new DataView(new ArrayBuffer(fsPacketCodec.size * 2));
  const p = pkt({ op: FsOpcode.WRITE, handle: 77, position: 2 ** 40, length: 99, tag: 0xfffffffe, success: true, timestamp: 1700000000 });
  fsPacketCodec.write(v, fsPacketCodec.size, p);
  t.deepEqual(fsPacketCodec.read(v, fsPacketCodec.size), p);
  fsPacketCodec.write(v, 0, pkt({ handle: -1 }));
  t.is(fsPacketCodec.read(v, 0).handle, 0xffffffff);
});

test('packet checks: lengths, positions, opcodes', (t) => {
  t.is(checkFsPacket(pkt({})), undefined);
  t.is(checkFsPacket(pkt({ op: FsOpcode.WRITE, position: SEEK_TAIL })), undefined);
  t.regex(checkFsPacket(pkt({ position: SEEK_TAIL }))!, /position -1 is invalid/);
  t.regex(checkFsPacket(pkt({ length: 101 }))!, /exceeds the packet's 100 payload bytes/);
  t.regex(checkFsPacket(pkt({ length: -1 }))!, /not a byte count/);
  t.regex(checkFsPacket(pkt({ length: NaN }))!, /not a byte count/);
  t.regex(checkFsPacket(pkt({ position: 0.5 }))!, /position 0.5 is invalid/);
  t.regex(checkFsPacket(pkt({ position: Number.MAX_SAFE_INTEGER }))!, /overflows/);
  t.regex(checkFsPacket(pkt({ op: 42 as FsOpcode }))!, /unknown operation 42/);
  t.regex(checkFsPacket(pkt({ op: FsOpcode.WRITE_TIMESTAMP, timestamp: -3 }))!, /time -3/);
  t.is(checkFsPacket(pkt({ op: FsOpcode.SYNC, size: 0, length: 12345, position: -7 })), undefined);
});

test('directory entries: round trip, malformed records refused', (t) => {
  const b = new Uint8Array(DIRENT_SIZE);
  const e = { inode: 12, type: FsNodeType.SYMLINK, rwx: rwxBits({ readable: true, writeable: false, executable: true }), name: 'läuft' };
  writeDirEntry(b, e);
  t.deepEqual(readDirEntry(b), e);
  t.deepEqual(rwxOf(e.rwx), { readable: true, writeable: false, executable: true });
  t.throws(() => writeDirEntry(b, { ...e, name: 'x'.repeat(256) }));
  const bad = (at: number, v: number) => {
    const c = b.slice();
    new DataView(c.buffer).setUint32(at, v, true);
    return () => readDirEntry(c);
  };
  t.throws(bad(8, 9), { message: /node type 9/ });
  t.throws(bad(12, 8), { message: /rwx bits 8/ });
  t.throws(bad(16, 0), { message: /name length 0/ });
  t.throws(bad(16, 5000), { message: /name length 5000/ });
  t.throws(() => readDirEntry(b.subarray(0, 10)), { message: /10 bytes/ });
  const inv = b.slice();
  inv.set([0xff, 0xfe], 24);
  t.throws(() => readDirEntry(inv), { message: /UTF-8/ });
});

test('VFS errors map to the File_system exceptions of the same meaning', (t) => {
  t.true(fsErrorOf(new VfsError('NO_ENTRY')) instanceof LookupFailed);
  t.true(fsErrorOf(new VfsError('EXISTS')) instanceof NodeAlreadyExists);
  t.true(fsErrorOf(new VfsError('NOT_EMPTY')) instanceof NotEmpty);
  t.true(fsErrorOf(new VfsError('CROSS_FS')) instanceof PermissionDenied);
  t.true(fsErrorOf(new VfsError('OUT_OF_RAM')) instanceof OutOfRam);
  t.true(fsErrorOf(new VfsError('IO')) instanceof Unavailable);
});

test('storage ledger: charges, undo, shrink, move of a subtree, release, drop', (t) => {
  const a = { label: 'a', ram: new QuotaGuard(10000, 'RAM', 'a') };
  const b = { label: 'b', ram: new QuotaGuard(10000, 'RAM', 'b') };
  const l = new StorageLedger();
  l.charge(a, '/d', 'node', 300);
  const undoFile = l.charge(a, '/d/f', 'node', 300);
  l.charge(a, '/d/f', 'bytes', 1000);
  l.charge(b, '/d/f', 'bytes', 500);
  t.is(a.ram.used, 1600);
  t.is(l.bytesCharged('/d/f'), 1500);
  t.throws(() => l.charge(b, '/d/g', 'bytes', 9600), { instanceOf: OutOfRam });
  t.is(b.ram.used, 500);
  l.shrink('/d/f', 1200); // the last charge (b's) gives back first
  t.is(b.ram.used, 200);
  l.move('/d', '/e');
  t.is(l.bytesCharged('/e/f'), 1200);
  t.is(l.bytesCharged('/d/f'), 0);
  undoFile(); // the file's node charge moved along: the undo of the old path finds nothing
  t.is(a.ram.used, 1600);
  l.release('/e/f');
  t.is(a.ram.used, 300);
  t.is(b.ram.used, 0);
  const u = l.charge(b, '/x', 'bytes', 400);
  u(100);
  t.is(b.ram.used, 300);
  u();
  t.is(b.ram.used, 0);
  u();
  t.is(b.ram.used, 0);
  l.drop(a);
  l.release('/e');
  t.is(a.ram.used, 300, 'a dropped account is no longer charged or refunded through the ledger');
});
