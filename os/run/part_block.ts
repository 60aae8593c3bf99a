import { ERROR_LINE, scenario, parentProvides, type Scenario } from '../../base/src/scenario.js';
import { GPT_LAYOUT, MBR_LAYOUT, gptImage, mbrImage } from '../src/test/part_block/image.js';

/*
 * part_block on generated disk images: an MBR with two primary partitions and an extended
 * partition holding two logical ones, a GPT with three partitions, and the same GPT with a
 * broken primary header (part_block falls back to the backup header). One client per
 * partition reads all of it and checks every byte; every client tries to reach past its
 * partition's end and is refused; two write inside their partitions and check through a
 * second session to the whole disk that the writes landed there and nowhere else.
 */

export interface ClientSpec {
  /** The client's name (and its session label at part_block). */
  name: string;
  partition: number;
  blocks: number;
  seed: number;
  writeable?: boolean;
  /** Write and verify; with `rawLba` also check through a session to the whole disk. */
  write?: boolean;
  rawLba?: number;
}

export interface DiskSpec {
  /** Names: `<name>_disk` serves the image, `<name>_part` partitions it. */
  name: string;
  image: Uint8Array;
  /** rom_block (read-only) or ram_block (writeable copy). */
  server: 'rom_block' | 'ram_block';
  clients: ClientSpec[];
  /** part_block's back-end buffer; small ones make it split requests. */
  ioBuffer?: string;
  /** Clients without a <policy> of their own reach their partition through <default-policy>. */
  defaultPolicy?: number;
  /** Clients with no policy at all: their session requests must be denied. */
  denied?: string[];
}

function diskConfig(d: DiskSpec): string {
  const ramKiB = Math.ceil(d.image.length / 1024) * 2 + 1024;
  const policies = d.clients.filter((c) => c.partition !== d.defaultPolicy)
    .map((c) => `\n      <policy label="${c.name}" partition="${c.partition}"${c.writeable ? ' writeable="yes"' : ''}/>`).join('');
  const fallback = d.defaultPolicy !== undefined ? `\n      <default-policy partition="${d.defaultPolicy}"/>` : '';
  const clients = d.clients.map((c) => `
  <start name="${c.name}" caps="100">
    <binary name="test-part_block"/>
    <resource name="RAM" quantum="2M"/>
    <config blocks="${c.blocks}" seed="${c.seed}" writeable="${c.writeable ? 'yes' : 'no'}" write="${c.write ? 'yes' : 'no'}" request_blocks="128"${c.rawLba !== undefined ? ` raw_lba="${c.rawLba}"` : ''}/>
    <route>
      <service name="Block" label="raw"><child name="${d.name}_disk"/></service>
      <service name="Block"><child name="${d.name}_part"/></service>
      <any-service><parent/></any-service>
    </route>
  </start>`).join('') + (d.denied ?? []).map((name) => `
  <start name="${name}" caps="100">
    <binary name="test-part_block"/>
    <resource name="RAM" quantum="1M"/>
    <config blocks="0" seed="0" expect_denied="yes"/>
    <route>
      <service name="Block"><child name="${d.name}_part"/></service>
      <any-service><parent/></any-service>
    </route>
  </start>`).join('');
  return `
  <start name="${d.name}_disk" caps="100">
    <binary name="${d.server}"/>
    <resource name="RAM" quantum="${ramKiB}K"/>
    <provides><service name="Block"/></provides>
    <config file="${d.name}.img" block_size="512"/>
    <route><any-service><parent/></any-service></route>
  </start>
  <start name="${d.name}_part" caps="200">
    <binary name="part_block"/>
    <resource name="RAM" quantum="2M"/>
    <provides><service name="Block"/></provides>
    <config io_buffer="${d.ioBuffer ?? '1M'}">
      <report partitions="yes"/>${policies}${fallback}
    </config>
    <route>
      <service name="Block"><child name="${d.name}_disk"/></service>
      <any-service><parent/></any-service>
    </route>
  </start>${clients}`;
}

/** The patterns every client of `disks` must print. */
export function clientPatterns(disks: DiskSpec[]): RegExp[] {
  const out: RegExp[] = [];
  for (const d of disks) {
    for (const c of d.clients) {
      const who = `\\[init -> ${c.name}\\] `;
      out.push(new RegExp(`${who}partition: ${c.blocks} blocks of 512 bytes, ${c.writeable ? 'writeable' : 'read-only'}$`));
      out.push(new RegExp(`${who}partition content: ${c.blocks * 512} bytes verified, crc32 [0-9a-f]{8}$`));
      out.push(new RegExp(`${who}read past the partition's end: refused$`));
      out.push(new RegExp(`${who}write across the partition's end: refused$`));
      if (!c.writeable) out.push(new RegExp(`${who}write to the read-only partition: refused$`));
      if (c.write) out.push(new RegExp(`${who}wrote blocks 0..7 and ${c.blocks - 8}..${c.blocks - 1}, read them back: verified$`));
      if (c.rawLba !== undefined) out.push(new RegExp(`${who}whole disk: partition blocks at LBA ${c.rawLba}\\.\\., the blocks before and after it untouched$`));
      out.push(new RegExp(`${who}test-part_block done$`));
    }
  }
  return out;
}

export function partBlockScenario(opts: { description: string; disks: DiskSpec[]; succeed?: RegExp[]; timeout?: string }): Scenario {
  /* part_block's error for a client without policy is expected; every other error line fails */
  const expected = opts.disks.flatMap((d) => (d.denied ?? []).map((n) => `\\[init -> ${d.name}_part\\] Error: no policy defined for '${n}'$`));
  const denied = opts.disks.flatMap((d) => (d.denied ?? []).map((n) => new RegExp(`\\[init -> ${n}\\] session denied as expected: `)));
  const servers = [...new Set(opts.disks.map((d) => d.server))];
  return scenario({
    description: opts.description,
    modules: [...servers, 'part_block', 'test-part_block'],
    roms: Object.fromEntries(opts.disks.map((d) => [`${d.name}.img`, d.image])),
    ramMiB: 128,
    config: `<config>
  ${parentProvides()}${opts.disks.map(diskConfig).join('')}
</config>`,
    succeed: [...(opts.succeed ?? []), ...clientPatterns(opts.disks), ...denied],
    fail: new RegExp(`^${expected.map((e) => `(?!${e})`).join('')}.*${ERROR_LINE.source}|: served \\(unexpected\\)`),
    timeout: opts.timeout ?? '60s',
  });
}

const mbr = MBR_LAYOUT;
const gpt = GPT_LAYOUT;
const part = (n: number) => [...mbr.primaries, ...mbr.extended!.logicals.map((l) => l.part)].find((p) => p.number === n)!;
const gptPart = (n: number) => gpt.parts.find((p) => p.number === n)!;

export default partBlockScenario({
  description: 'part_block: partitions of an MBR (with an extended partition holding logical ones) and a GPT (also with a broken primary header) served as Block sessions by policy; every byte read and checked, writes land inside the partition, requests past a partition\'s end refused',
  disks: [
    {
      name: 'mbr', image: mbrImage(mbr), server: 'ram_block', ioBuffer: '64K', defaultPolicy: 3,
      clients: [
        { name: 'mbr-p1', partition: 1, blocks: part(1).length, seed: part(1).seed },
        { name: 'mbr-p3', partition: 3, blocks: part(3).length, seed: part(3).seed },
        { name: 'mbr-p5', partition: 5, blocks: part(5).length, seed: part(5).seed },
        { name: 'mbr-p6', partition: 6, blocks: part(6).length, seed: part(6).seed, writeable: true, write: true, rawLba: part(6).start },
      ],
    },
    {
      name: 'gpt', image: gptImage(gpt), server: 'ram_block', denied: ['gpt-nobody'],
      clients: [
        { name: 'gpt-p1', partition: 1, blocks: gptPart(1).length, seed: gptPart(1).seed },
        { name: 'gpt-p2', partition: 2, blocks: gptPart(2).length, seed: gptPart(2).seed, writeable: true, write: true, rawLba: gptPart(2).start },
        { name: 'gpt-p4', partition: 4, blocks: gptPart(4).length, seed: gptPart(4).seed },
      ],
    },
    {
      name: 'bak', image: gptImage({ ...gpt, corruptPrimary: true }), server: 'rom_block', defaultPolicy: 2,
      clients: [{ name: 'bak-p2', partition: 2, blocks: gptPart(2).length, seed: gptPart(2).seed }],
    },
  ],
  succeed: [
    /\[init -> mbr_part\] MBR Partition 2: LBA 256 \(1024 blocks\) type: 05$/,
    /\[init -> mbr_part\] MBR Partition 5: LBA 288 \(128 blocks\) type: 83$/,
    /\[init -> mbr_part\] MBR Partition 6: LBA 800 \(256 blocks\) type: 0c$/,
    /\[init -> mbr_part\] device: 4096 blocks of 512 bytes, writeable; MBR with 4 partition\(s\)$/,
    /\[init -> mbr_part\] {3}<partition number="6" start="800" length="256" block_size="512" type="12"\/>$/,
    /\[init -> gpt_part\] GPT Partition 2: LBA 256 \(512 blocks\) type: '0fc63daf-8483-4772-8e79-3d69d8477de4' name: 'two'$/,
    /\[init -> gpt_part\] <partitions type="gpt" total_blocks="4096" gpt_total="4029" gpt_used="840">$/,
    /\[init -> gpt_part\] {3}<partition number="1" name="one" type="ebd0a0a2-b9e5-4433-87c0-68b6b72699c7" guid="5f4061cc-8d4a-4e6f-ad15-10b881b79aee" start="64" length="128" block_size="512"\/>$/,
    /\[init -> bak_part\] Warning: primary GPT header \(LBA 1\) unusable: header CRC32 [0-9a-f]{8} does not match its contents \([0-9a-f]{8}\); using the backup header at LBA 4095$/,
    /\[init -> bak_part\] device: 4096 blocks of 512 bytes, read-only; GPT with 3 partition\(s\)$/,
  ],
});
