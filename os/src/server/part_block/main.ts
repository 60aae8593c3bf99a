/*
 * part_block (Genode's partition multiplexer, repos/os/src/server/part_block): a client of
 * one Block session that reads the partition table on it (MBR with extended and logical
 * partitions, or GPT behind a protective MBR; see table.ts) and serves each partition as a
 * Block session of its own, chosen by session policy:
 *
 *   <config io_buffer="1M" ignore_mbr="no" ignore_gpt="no">
 *     <report partitions="yes"/>
 *     <policy label="test-part1" partition="6" writeable="yes"/>
 *     <policy label_prefix="fs" partition="1"/>
 *     <default-policy partition="2"/>
 *   </config>
 *
 * The best-matching policy wins (an exact label, then the longest prefix/suffix, then the
 * default policy). Sessions are read-only unless the policy says writeable="yes" (and the
 * device is writeable); a session argument writeable="no" makes one read-only too. One
 * session per partition, as in Genode. Without partition table the whole device is
 * partition 0.
 *
 * Genode hands the session on to the driver with the partition as a constrained view;
 * here part_block is the sink of each partition's packet stream itself: every request is
 * checked against the partition (a request reaching outside it is acknowledged with
 * success=false), translated by the partition's first block and forwarded through the
 * back-end session (split into pieces that fit its bulk buffer), payload copied between the
 * two bulk buffers. The partitions report (Genode's Report session "partitions") goes to
 * the log, since there is no Report service here.
 */
import { AttachedRomDataspace } from '../../../../base/src/lib/attached_dataspace.js';
import type { Env } from '../../../../base/src/lib/env.js';
import { RootComponent, type SessionContext } from '../../../../base/src/lib/root_component.js';
import { ServiceDenied } from '../../../../base/src/errors.js';
import { stringArg } from '../../../../base/src/session/args.js';
import { XmlNode } from '../../../../base/src/util/xml_node.js';
import { describeError, openLog, type Log } from '../../lib/log.js';
import { BlockConnection } from '../../session/block/connection.js';
import { OPCODE_NAMES, Opcode, type BlockInfo } from '../../session/block/packet.js';
import { BlockSessionComponent, alignLog2Of, type BlockDevice } from '../../session/block/root.js';
import { BlockSession } from '../../session/block/session.js';
import { SessionPolicies } from '../../lib/session_policy.js';
import { parsePartitionTable, reportLines, type Partition, type PartitionTable } from './table.js';

interface PartitionPolicy { partition: number; writeable: boolean; what: string }

/** part_block's policies: which partition a session gets, and whether it may write. */
export type PolicyTable = SessionPolicies<PartitionPolicy>;
export const PolicyTable = {
  parse: (config: XmlNode): PolicyTable => SessionPolicies.parse(config, (n, what) => ({
    partition: n.numberAttr('partition', undefined, 1 << 20),
    writeable: n.boolAttr('writeable', false),
    what,
  })),
};

/**
 * One partition as an asynchronous Block device: requests (already checked against the
 * partition's size by the session) are moved by the partition's first block and forwarded
 * to the back end in pieces of at most `maxBlockCount` blocks.
 */
export class PartitionDevice implements BlockDevice {
  readonly info: BlockInfo;

  constructor(private readonly backend: BlockConnection, readonly partition: Partition, writeable: boolean) {
    const bs = backend.info.blockSize;
    this.info = { blockSize: bs, blockCount: partition.length, alignLog2: alignLog2Of(bs), writeable: writeable && backend.info.writeable };
  }

  read(blockNumber: number, count: number, dst: Uint8Array): Promise<void> {
    return this.forward(Opcode.READ, blockNumber, count, dst);
  }

  write(blockNumber: number, count: number, src: Uint8Array): Promise<void> {
    return this.forward(Opcode.WRITE, blockNumber, count, src);
  }

  sync(): Promise<void> {
    return this.expect(this.backend.job({ op: Opcode.SYNC, blockNumber: 0, count: this.backend.info.blockCount }), Opcode.SYNC, 0, 0);
  }

  async trim(blockNumber: number, count: number): Promise<void> {
    this.check(blockNumber, count);
    await this.expect(this.backend.job({ op: Opcode.TRIM, blockNumber: this.partition.start + blockNumber, count }), Opcode.TRIM, blockNumber, count);
  }

  /* checked by the session against info.blockCount; checked again, the device is the last line */
  private check(blockNumber: number, count: number): void {
    const p = this.partition;
    if (!(Number.isSafeInteger(blockNumber) && Number.isSafeInteger(count) && blockNumber >= 0 && count >= 0 && blockNumber <= p.length && count <= p.length - blockNumber)) {
      throw new Error(`blocks ${blockNumber}+${count} lie outside partition ${p.number}`);
    }
  }

  private async expect(job: Promise<boolean>, op: Opcode, blockNumber: number, count: number): Promise<void> {
    if (!(await job)) throw new Error(`${OPCODE_NAMES[op]} of blocks ${blockNumber}+${count} of partition ${this.partition.number} failed on the back end`);
  }

  /**
   * Forwards a read or write in pieces that fit the back end's buffer. The payload stays
   * valid until the returned promise settles (the session waits for it before it frees
   * its buffer).
   */
  private async forward(op: Opcode.READ | Opcode.WRITE, blockNumber: number, count: number, payload: Uint8Array): Promise<void> {
    this.check(blockNumber, count);
    const b = this.backend;
    const bs = b.info.blockSize;
    const max = b.maxBlockCount;
    const pieces: Promise<boolean>[] = [];
    for (let done = 0; done < count; done += max) {
      const n = Math.min(max, count - done);
      const at = done * bs;
      const piece = { op, blockNumber: this.partition.start + blockNumber + done, count: n };
      pieces.push(op === Opcode.WRITE
        ? b.job(piece, { produce: (dst) => { dst.set(payload.subarray(at, at + n * bs)); return true; } })
        : b.job(piece, { consume: (src) => payload.set(src.subarray(0, n * bs), at) }));
    }
    await this.expect(Promise.all(pieces).then((r) => r.every((ok) => ok)), op, blockNumber, count);
  }
}

class PartRoot extends RootComponent<BlockSession> {
  private readonly inUse = new Map<number, BlockSessionComponent>();

  constructor(env: Env, private readonly backend: BlockConnection, private readonly table: PartitionTable,
    private readonly policies: PolicyTable, private readonly log: Log) {
    super(env, BlockSession, BlockSession.service);
  }

  protected async createSession(ctx: SessionContext): Promise<BlockSession> {
    const policy = this.policies.select(ctx.label);
    const deny = async (why: string): Promise<never> => {
      await this.log(`Error: ${why}`);
      throw new ServiceDenied(`part_block: ${why}`);
    };
    if (!policy) return deny(`no policy defined for '${ctx.label}'`);
    const partition = this.table.partitions.find((p) => p.number === policy.partition);
    if (!partition) return deny(`'${ctx.label}': requested partition ${policy.partition} invalid (${policy.what})`);
    if (this.inUse.has(partition.number)) return deny(`'${ctx.label}': partition ${partition.number} already in use`);
    const writeableArg = stringArg(ctx.args, 'writeable', 'yes');
    const writeable = policy.writeable && writeableArg !== 'no' && writeableArg !== 'false' && writeableArg !== '0';
    const device = new PartitionDevice(this.backend, partition, writeable);
    const s = await BlockSessionComponent.create(this.env, device, ctx, this.log);
    this.inUse.set(partition.number, s);
    await this.log(`'${ctx.label}': partition ${partition.number} (LBA ${partition.start}, ${partition.length} blocks), ${device.info.writeable ? 'writeable' : 'read-only'}`);
    return s;
  }

  protected override async destroySession(session: BlockSession): Promise<void> {
    const s = session as BlockSessionComponent;
    for (const [n, o] of this.inUse) if (o === s) this.inUse.delete(n);
    await s.destroy();
  }
}

export async function construct(env: Env): Promise<void> {
  const log = await openLog(env);
  let c: XmlNode;
  let policies: PolicyTable;
  let ignoreMbr: boolean;
  let ignoreGpt: boolean;
  let report: boolean;
  try {
    c = XmlNode.parse((await AttachedRomDataspace.open(env, 'config')).text(), 'config of part_block');
    policies = PolicyTable.parse(c);
    ignoreMbr = c.boolAttr('ignore_mbr', false);
    ignoreGpt = c.boolAttr('ignore_gpt', false);
    report = c.child('report')?.boolAttr('partitions', false) ?? false;
  } catch (e) {
    await log(`Error: bad config: ${describeError(e)}`);
    return env.exit(1);
  }
  let backend: BlockConnection;
  let ioBuffer: number;
  try {
    ioBuffer = c.numberAttr('io_buffer', 1 << 20, 16 << 20);
    backend = await BlockConnection.open(env, { txBufSize: ioBuffer });
  } catch (e) {
    await log(`Error: cannot open the back-end Block session: ${describeError(e)}`);
    return env.exit(1);
  }
  const { blockSize, blockCount, writeable } = backend.info;
  /* the table is read in pieces that fit the bulk buffer; a refused read counts as none */
  const read = async (lba: number, count: number): Promise<Uint8Array | undefined> => {
    const out = new Uint8Array(count * blockSize);
    const max = backend.maxBlockCount;
    const pieces: Promise<boolean>[] = [];
    for (let done = 0; done < count; done += max) {
      const n = Math.min(max, count - done);
      const at = done * blockSize;
      pieces.push(backend.job({ op: Opcode.READ, blockNumber: lba + done, count: n }, { consume: (src) => out.set(src.subarray(0, n * blockSize), at) }));
    }
    return (await Promise.all(pieces)).every((ok) => ok) ? out : undefined;
  };
  const lines: string[] = [];
  const table = await parsePartitionTable(read, {
    blockSize, blockCount, ignoreMbr, ignoreGpt,
    log: (l) => lines.push(l),
  }).catch((e: unknown) => `reading the partition table failed: ${describeError(e)}`);
  for (const l of lines) await log(l);
  if (typeof table === 'string') {
    await log(`Error: ${table}`);
    return env.exit(1);
  }
  await log(`device: ${blockCount} blocks of ${blockSize} bytes, ${writeable ? 'writeable' : 'read-only'}; ${table.type === 'disk' ? 'no partition table: the whole device is partition 0' : `${table.type.toUpperCase()} with ${table.partitions.length} partition(s)`}`);
  if (report) {
    await log('report "partitions":');
    for (const l of reportLines(table, blockSize, blockCount)) await log(l);
  }
  await new PartRoot(env, backend, table, policies, log).announce();
}
