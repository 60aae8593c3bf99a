/*
 * test-file_system: an honest File_system client in one of several roles, for the fs_ram
 * scenario (each logs what it checked; a failed check is an "Error:" line and exit 1).
 *   <config role="owner"/>     files, directories, a symlink, move, truncate, unlink, listing
 *                              in its own root; escapes out of it refused
 *   <config role="reader"/>    a read-only session: writes refused; watches /news until
 *                              another client's write fires the watch
 *   <config role="writer"/>    creates /news and rewrites it every 50 ms
 *   <config role="plugin"> <vfs> <dir name="data"> <fs/> </dir> </vfs> </config>
 *                              the `fs` VFS plugin: the FileSystem interface over a session
 *   <config role="quota" storage="..."/>   a small donation: nodes and bytes until refused,
 *                              then deleting makes room again; handles until refused
 */
import { AttachedRomDataspace } from '../../../../base/src/lib/attached_dataspace.js';
import type { Env } from '../../../../base/src/lib/env.js';
import { XmlNode } from '../../../../base/src/util/xml_node.js';
import { describeError, openLog, type Log } from '../../lib/log.js';
import { FileSystemConnection } from '../../session/file_system/connection.js';
import { FsNodeType } from '../../session/file_system/packet.js';
import { FsMode } from '../../session/file_system/session.js';
import { OpenMode, VfsError } from '../../lib/vfs/file_system.js';
import { buildVfs } from '../../lib/vfs/vfs.js';
import { TimerConnection } from '../../session/timer/connection.js';
import { CheckFailed, check, pattern, refusal, same } from './util.js';

const enc = new TextEncoder();
const dec = new TextDecoder();

async function owner(log: Log, fs: FileSystemConnection): Promise<void> {
  const s = fs.session;
  const root = await s.dir('/', false);
  const docs = await s.dir('/docs', true);
  const f = await s.file(docs, 'data.bin', FsMode.READ_WRITE, true);
  const data = pattern(7, 70000);
  check((await fs.write(f, 0, data)) === data.length, 'write of 70000 bytes');
  check(same(await fs.read(f, 0, data.length), data), 'read back of 70000 bytes');
  check(same(await fs.read(f, 69990, 100), data.subarray(69990)), 'short read at the end');
  const st = await s.status(f);
  check(st.size === 70000 && st.type === FsNodeType.TRANSACTIONAL_FILE, `status ${JSON.stringify(st)}`);
  await log(`wrote and read back 70000 bytes in /docs/data.bin`);
  const link = await s.symlink(docs, 'link', true);
  await fs.write(link, 0, enc.encode('data.bin'));
  check(dec.decode(await fs.read(link, 0, 100)) === 'data.bin', 'symlink target');
  await s.close(link);
  await s.truncate(f, 1000);
  check((await s.status(f)).size === 1000, 'size after truncate');
  await s.close(f);
  await s.move(docs, 'data.bin', root, 'moved.bin');
  const names = (await fs.readdir(root)).map((e) => e.name).sort();
  check(names.join(',') === 'docs,moved.bin', `root holds ${names.join(',')}`);
  check((await s.numEntries(docs)) === 1, 'one entry in /docs');
  await log(`symlink, truncate, move ok; my root holds only: ${names.join(', ')}`);
  /* the other owner's files are not reachable from here */
  await log(`escape "/../x": ${await refusal(s.dir('/../x', false), 'dir /../x')}`);
  await log(`name "..": ${await refusal(s.file(root, '..', FsMode.READ_ONLY, false), 'file ..')}`);
  await log(`name "a/b": ${await refusal(s.file(root, 'a/b', FsMode.READ_ONLY, false), 'file a/b')}`);
  await log(`unlink of non-empty /docs: ${await refusal(s.unlink(root, 'docs'), 'unlink docs')}`);
  await s.unlink(docs, 'link');
  await s.unlink(root, 'docs');
  const m = await s.file(root, 'moved.bin', FsMode.READ_ONLY, false);
  check(same(await fs.read(m, 0, 1000), data.subarray(0, 1000)), 'moved file content');
  await log(`read-only handle write: ${await refusal(fs.write(m, 0, enc.encode('x')), 'write on read-only handle')}`);
  await s.close(m);
  await s.close(docs);
  await s.close(root);
  await log('owner checks done');
}

async function reader(env: Env, log: Log, fs: FileSystemConnection, timer: TimerConnection): Promise<void> {
  const s = fs.session;
  const root = await s.dir('/', false);
  await log(`create in a read-only session: ${await refusal(s.file(root, 'mine', FsMode.READ_WRITE, true), 'create')}`);
  await log(`mkdir in a read-only session: ${await refusal(s.dir('/sub', true), 'mkdir')}`);
  /* the writer creates /news: wait for it */
  let n = 0;
  for (let i = 0; ; i++) {
    try {
      n = await s.node('/news');
      break;
    } catch (e) {
      if (!(e instanceof Error) || e.name !== 'LookupFailed' || i > 500) throw e;
      await timer.msleep(10);
    }
  }
  await s.close(n);
  await log(`open /news for writing: ${await refusal(s.file(root, 'news', FsMode.READ_WRITE, false), 'open rw')}`);
  await log(`unlink /news: ${await refusal(s.unlink(root, 'news'), 'unlink')}`);
  let fired = 0;
  let wake: (() => void) | undefined;
  const w = await fs.watch('/news', () => { fired++; wake?.(); });
  const first = new Promise<void>((r) => { wake = r; });
  const timedOut = await Promise.race([first.then(() => false), timer.msleep(10000).then(() => true)]);
  check(!timedOut, 'the watch fired within 10 s');
  const f = await s.file(root, 'news', FsMode.READ_ONLY, false);
  const text = dec.decode(await fs.read(f, 0, 100));
  check(/^news \d{4}$/.test(text), `content "${text}"`);
  await s.close(f);
  await fs.unwatch(w);
  await s.close(root);
  await log(`watch on /news fired after another client's write (content "news <n>")`);
}

async function writer(log: Log, fs: FileSystemConnection, timer: TimerConnection, rounds: number): Promise<void> {
  const s = fs.session;
  const root = await s.dir('/', false);
  /* every version has the same length and is written by one packet: a reader never sees a partial one */
  const news = (i: number) => enc.encode(`news ${String(i).padStart(4, '0')}`);
  const first = await s.file(root, 'news', FsMode.WRITE_ONLY, true);
  await fs.write(first, 0, news(0));
  await s.close(first);
  for (let i = 1; i <= rounds; i++) {
    await timer.msleep(50);
    const f = await s.file(root, 'news', FsMode.WRITE_ONLY, false);
    await fs.write(f, 0, news(i));
    await s.close(f);
  }
  await s.close(root);
  await log(`${rounds} updates of /news written`);
}

async function quota(log: Log, fs: FileSystemConnection): Promise<void> {
  const s = fs.session;
  const root = await s.dir('/', false);
  const chunk = pattern(3, 1024);
  let stored = 0;
  let why = '';
  for (;;) {
    try {
      const f = await s.file(root, `f${stored}`, FsMode.WRITE_ONLY, true);
      try {
        await fs.write(f, 0, chunk);
      } finally {
        await s.close(f);
      }
      stored++;
    } catch (e) {
      why = e instanceof Error ? e.name : String(e);
      break;
    }
    if (stored > 10000) throw new CheckFailed('no quota limit after 10000 files');
  }
  await log(`${stored} files of 1024 bytes stored, then refused: ${why}`);
  /* the session still works: reading, listing */
  const listed = await fs.readdir(root);
  check(listed.length >= stored, `listing of ${listed.length} entries`);
  await s.unlink(root, 'f0');
  await s.unlink(root, 'f1');
  const f = await s.file(root, 'again', FsMode.READ_WRITE, true);
  await fs.write(f, 0, chunk);
  check(same(await fs.read(f, 0, 1024), chunk), 'read back after making room');
  await s.close(f);
  await log('after deleting two files another one fits and reads back');
  /* handles until refused, then all closed again */
  const handles: number[] = [];
  let refused = '';
  for (;;) {
    try {
      handles.push(await s.node('/again'));
    } catch (e) {
      refused = e instanceof Error ? e.name : String(e);
      break;
    }
    if (handles.length > 1000) throw new CheckFailed('no handle limit');
  }
  for (const h of handles) await s.close(h);
  await log(`${handles.length} more handles opened, then refused: ${refused}; all closed again`);
  const again = await s.file(root, 'again', FsMode.READ_ONLY, false);
  check(same(await fs.read(again, 0, 1024), chunk), 'read after the handle flood');
  await s.close(again);
  await s.close(root);
  await log('quota checks done');
}

/** The `fs` VFS plugin over the same server: the FileSystem interface end to end. */
async function plugin(env: Env, log: Log, c: XmlNode, timer: TimerConnection): Promise<void> {
  const vfsNode = c.children().find((n) => n.type === 'vfs');
  if (!vfsNode) throw new CheckFailed('no <vfs> node');
  const vfs = await buildVfs({ env, log }, vfsNode);
  const d = await vfs.opendir('/data/sub', true);
  await vfs.close(d);
  let changes = 0;
  const w = await vfs.watch('/data/sub', () => { changes++; });
  const data = pattern(11, 50000);
  const h = await vfs.open('/data/sub/file', OpenMode.CREATE | OpenMode.RDWR);
  check((await vfs.write(h, data)) === data.length, 'plugin write');
  h.seek = 0;
  check(same(await vfs.read(h, data.length), data), 'plugin read back');
  await vfs.close(h);
  const st = await vfs.stat('/data/sub/file');
  check(st.size === 50000 && st.type === 'transactional_file', `plugin stat ${JSON.stringify(st)}`);
  await vfs.rename('/data/sub/file', '/data/sub/renamed');
  const dh = await vfs.opendir('/data/sub', false);
  const names: string[] = [];
  for (let i = 0; ; i++) {
    const e = await vfs.readDirent(dh, i);
    if (!e) break;
    names.push(e.name);
  }
  await vfs.close(dh);
  check(names.join(',') === 'renamed', `plugin listing ${names.join(',')}`);
  check((await vfs.numDirent('/data/sub')) === 1, 'plugin numDirent');
  check((await vfs.leafPath('/data/sub/file')) === null, 'old name gone');
  let code = '';
  try {
    await vfs.open('/data/sub/renamed', OpenMode.CREATE | OpenMode.RDWR);
  } catch (e) {
    code = e instanceof VfsError ? e.code : String(e);
  }
  check(code === 'EXISTS', `create of an existing file: ${code}`);
  try {
    await vfs.unlink('/data/sub');
  } catch (e) {
    code = e instanceof VfsError ? e.code : String(e);
  }
  check(code === 'NOT_EMPTY', `unlink of a non-empty directory: ${code}`);
  await vfs.unlink('/data/sub/renamed');
  for (let i = 0; i < 100 && changes === 0; i++) await timer.msleep(10);
  check(changes > 0, 'directory watch through the plugin fired');
  vfs.closeWatch(w);
  await vfs.unlink('/data/sub');
  check(!(await vfs.directory('/data/sub')), 'directory removed');
  await log('fs plugin: mkdir, write, read back, stat, rename, readdir, EXISTS, NOT_EMPTY, watch, unlink ok');
}

export async function construct(env: Env): Promise<void> {
  const log = await openLog(env);
  try {
    const c = XmlNode.parse((await AttachedRomDataspace.open(env, 'config')).text(), 'config of test-file_system');
    const role = c.attr('role');
    const timer = await TimerConnection.open(env);
    if (role === 'plugin') return await plugin(env, log, c, timer);
    const fs = await FileSystemConnection.open(env, { storageQuota: c.numberAttr('storage', 256 * 1024) });
    switch (role) {
      case 'owner': await owner(log, fs); break;
      case 'reader': await reader(env, log, fs, timer); break;
      case 'writer': await writer(log, fs, timer, c.numberAttr('rounds', 100)); break;
      case 'quota': await quota(log, fs); break;
      default: throw new CheckFailed(`unknown role "${role}"`);
    }
    check(fs.bogusAcks === 0, `${fs.bogusAcks} bogus acknowledgements`);
    await fs.close();
  } catch (e) {
    await log(`Error: ${describeError(e)}`);
    return env.exit(1);
  }
}
