/*
 * The `block` plugin (Genode's Block_file_system): <block name="block" label="x"
 * block_buffer_count="1"/>, a Block session as a file of blockCount * blockSize bytes with
 * random access: reads and writes at any byte offset, a partial block at either end is
 * read, changed and written back. Operations run one at a time (two writes into the same
 * block cannot interleave their read-modify-write). A failed block request is IO; a write
 * at or past the end is NO_SPACE, one reaching past it is cut short there. sync syncs
 * the device.
 */
import type { XmlNode } from '../../../../../base/src/util/xml_node.js';
import { Mutex } from '../../../../../base/src/util/mutex.js';
import { BlockConnection } from '../../../session/block/connection.js';
import { RWX_RO, RWX_RW, VfsError, type FileSystem, type VfsHandle } from '../file_system.js';
import type { VfsEnv } from '../plugin.js';
import { SingleFileSystem, singleFileName } from '../single_file_system.js';

/** Most bytes one read returns. */
const MAX_READ = 4 * 1024 * 1024;

export class BlockFileSystem extends SingleFileSystem {
  private readonly lock = new Mutex();
  readonly bytes: number;
  /** Blocks per request (the bulk buffer's size and block_buffer_count bound it). */
  private readonly perJob: number;

  constructor(name: string, readonly block: BlockConnection, blockBufferCount: number) {
    super('block', name, 'transactional_file', block.info.writeable ? RWX_RW : RWX_RO);
    this.bytes = block.info.blockSize * block.info.blockCount;
    this.perJob = Math.max(1, Math.min(blockBufferCount, block.maxBlockCount));
  }

  protected size(): number {
    return this.bytes;
  }

  private async io<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await this.lock.guard(fn);
    } catch (e) {
      if (e instanceof VfsError) throw e;
      throw new VfsError('IO', `${what}: ${(e as Error).message}`);
    }
  }

  protected async readFile(handle: VfsHandle, count: number): Promise<Uint8Array> {
    const bs = this.block.info.blockSize;
    const start = handle.seek;
    const end = Math.min(this.bytes, start + Math.min(count, MAX_READ));
    if (start >= end) return new Uint8Array(0);
    const out = new Uint8Array(end - start);
    await this.io(`read of bytes ${start}..${end - 1} of "${handle.path}"`, async () => {
      for (let blk = Math.floor(start / bs); blk * bs < end;) {
        const n = Math.min(this.perJob, Math.ceil(end / bs) - blk);
        const data = await this.block.read(blk, n);
        const from = Math.max(start, blk * bs);
        const to = Math.min(end, (blk + n) * bs);
        out.set(data.subarray(from - blk * bs, to - blk * bs), from - start);
        blk += n;
      }
    });
    handle.seek = end;
    return out;
  }

  protected async writeFile(handle: VfsHandle, data: Uint8Array): Promise<number> {
    const bs = this.block.info.blockSize;
    const start = handle.seek;
    if (data.length === 0) return 0;
    if (start >= this.bytes) throw new VfsError('NO_SPACE', `write at byte ${start} of "${handle.path}" (the device has ${this.bytes} bytes)`);
    const end = Math.min(this.bytes, start + data.length);
    await this.io(`write of bytes ${start}..${end - 1} of "${handle.path}"`, async () => {
      for (let blk = Math.floor(start / bs); blk * bs < end;) {
        const n = Math.min(this.perJob, Math.ceil(end / bs) - blk);
        const from = Math.max(start, blk * bs);
        const to = Math.min(end, (blk + n) * bs);
        const buf = new Uint8Array(n * bs);
        /* partial blocks at either end keep the bytes around the written range */
        if (from > blk * bs) buf.set(await this.block.read(blk, 1), 0);
        if (to < (blk + n) * bs && (n > 1 || from === blk * bs)) buf.set(await this.block.read(blk + n - 1, 1), (n - 1) * bs);
        buf.set(data.subarray(from - start, to - start), from - blk * bs);
        await this.block.write(blk, buf);
        blk += n;
      }
    });
    handle.seek = end;
    return end - start;
  }

  protected override async syncFile(handle: VfsHandle): Promise<void> {
    if (!handle.writeable) return;
    await this.io(`sync of "${handle.path}"`, () => this.block.sync());
  }
}

export async function blockFactory(venv: VfsEnv, node: XmlNode): Promise<FileSystem> {
  const name = singleFileName(node);
  const label = node.attr('label', '');
  const count = node.numberAttr('block_buffer_count', 1, 1024);
  if (count === 0) throw node.error('attribute block_buffer_count="0" (at least 1)');
  let block: BlockConnection;
  try {
    block = await BlockConnection.open(venv.env, { label });
  } catch (e) {
    throw node.error(`Block session "${label}" unavailable: ${(e as Error).message}`);
  }
  return new BlockFileSystem(name, block, count);
}
