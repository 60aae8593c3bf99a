/* part_block's partition-table parser on generated and on broken images (an attacker's disk). */
import test from 'ava';
import { crc32, parsePartitionTable, reportLines, type PartitionTable } from '../../os/src/server/part_block/table.js';
import { GPT_LAYOUT, MBR_LAYOUT, gptImage, mbrImage, specCrc32 } from '../../os/src/test/part_block/image.js';

const SECTOR = 512;

async function parse(img: Uint8Array, opts: { ignoreMbr?: boolean; ignoreGpt?: boolean } = {}) {
  const lines: string[] = [];
  const reads: number[] = [];
  const blockCount = img.length / SECTOR;
  const t = await parsePartitionTable(async (lba, count) => {
    reads.push(count);
    if (lba + count > blockCount) return undefined;
    return img.slice(lba * SECTOR, (lba + count) * SECTOR);
  }, { blockSize: SECTOR, blockCount, log: (l) => lines.push(l), ...opts });
  return { t, lines, reads };
}

const numbers = (t: PartitionTable | string) => (typeof t === 'string' ? t : t.partitions.map((p) => `${p.number}@${p.start}+${p.length}`));

function u32(img: Uint8Array, at: number, v: number) {
  new DataView(img.buffer, img.byteOffset).setUint32(at, v, true);
}

function rechecksumHeader(img: Uint8Array, lba: number) {
  const h = img.subarray(lba * SECTOR, lba * SECTOR + 92);
  u32(img, lba * SECTOR + 16, 0);
  u32(img, lba * SECTOR + 16, specCrc32(h));
}

test('crc32: the standard check value', (t) => {
  t.is(crc32(new TextEncoder().encode('123456789')), 0xcbf43926);
  t.is(specCrc32(new TextEncoder().encode('123456789')), 0xcbf43926);
});

test('MBR: primaries and the logical partitions of the EBR chain, numbered from 5', async (t) => {
  const { t: table, lines } = await parse(mbrImage(MBR_LAYOUT));
  t.deepEqual(numbers(table), ['1@64+128', '3@1536+512', '5@288+128', '6@800+256']);
  t.true(lines.includes('MBR Partition 2: LBA 256 (1024 blocks) type: 05'));
  t.false(lines.some((l) => l.startsWith('Error')));
  t.deepEqual(reportLines(table as PartitionTable, 512, 4096).slice(0, 2), ['<partitions type="mbr">', '  <partition number="1" start="64" length="128" block_size="512" type="12"/>']);
});

test('MBR: an EBR chain that loops ends with an error, the partitions before it are served', async (t) => {
  const img = mbrImage(MBR_LAYOUT);
  /* the second EBR (LBA 768) links to itself (768 - 256 relative to the extended partition) */
  const at = 768 * SECTOR + 446 + 16;
  img.set([0, 0xfe, 0xff, 0xff, 0x05, 0xfe, 0xff, 0xff], at);
  u32(img, at + 8, 512);
  u32(img, at + 12, 256);
  const { t: table, lines } = await parse(img);
  t.deepEqual(numbers(table), ['1@64+128', '3@1536+512', '5@288+128', '6@800+256']);
  t.true(lines.some((l) => /^Error: the EBR chain loops back to LBA 768/.test(l)), lines.join('\n'));
});

test('MBR: entries past the device, of no blocks, and logical partitions outside their extended partition are ignored with an error', async (t) => {
  const img = mbrImage(MBR_LAYOUT);
  /* primary 4: LBA 4000 + 500 blocks on a 4096-block device */
  const p4 = 446 + 48;
  img.set([0, 0xfe, 0xff, 0xff, 0x83, 0xfe, 0xff, 0xff], p4);
  u32(img, p4 + 8, 4000);
  u32(img, p4 + 12, 500);
  /* primary 3: no blocks */
  u32(img, 446 + 32 + 12, 0);
  /* logical 6 reaches out of the extended partition (256..1279) */
  u32(img, 768 * SECTOR + 446 + 12, 0xffffffff);
  const { t: table, lines } = await parse(img);
  t.deepEqual(numbers(table), ['1@64+128', '5@288+128']);
  t.true(lines.some((l) => l.startsWith('Error: MBR partition 4: LBA 4000 + 500 blocks reaches past the device')));
  t.true(lines.some((l) => l.startsWith('Error: MBR partition 3: no blocks')));
  t.true(lines.some((l) => l.startsWith('Error: MBR partition 6: LBA 800 + 4294967295 blocks does not lie inside its extended partition')));
});

test('MBR: a chain of 1000 EBRs stops at the partition limit', async (t) => {
  const logicals = Array.from({ length: 1000 }, (_, i) => ({ ebr: 64 + 2 * i, part: { number: 5 + i, start: 65 + 2 * i, length: 1, seed: i } }));
  const img = mbrImage({ sectors: 4096, primaries: [], extended: { number: 1, start: 64, length: 2000, logicals } });
  const { t: table, lines } = await parse(img);
  t.is((table as PartitionTable).partitions.length, 27);
  t.true(lines.some((l) => l.startsWith('Error: more than 27 logical partitions')));
});

test('GPT: partitions with names and GUIDs, the report as Genode has it', async (t) => {
  const { t: table, lines } = await parse(gptImage(GPT_LAYOUT));
  t.deepEqual(numbers(table), ['1@64+128', '2@256+512', '4@1024+200']);
  t.false(lines.some((l) => /^(Error|Warning)/.test(l)), lines.join('\n'));
  const r = reportLines(table as PartitionTable, 512, 4096);
  t.is(r[0], '<partitions type="gpt" total_blocks="4096" gpt_total="4029" gpt_used="840">');
  t.is(r[2], '  <partition number="2" name="two" type="0fc63daf-8483-4772-8e79-3d69d8477de4" guid="87199a83-d0f4-4a01-b9e3-6516a8579d61" start="256" length="512" block_size="512"/>');
});

test('GPT: a broken primary header falls back to the backup; a broken backup alone is a warning', async (t) => {
  const bad = await parse(gptImage({ ...GPT_LAYOUT, corruptPrimary: true }));
  t.deepEqual(numbers(bad.t), ['1@64+128', '2@256+512', '4@1024+200']);
  t.true(bad.lines.some((l) => /^Warning: primary GPT header \(LBA 1\) unusable: header CRC32 .*using the backup header at LBA 4095$/.test(l)));
  const img = gptImage(GPT_LAYOUT);
  img[4095 * SECTOR + 60] ^= 1;
  const backupBad = await parse(img);
  t.deepEqual(numbers(backupBad.t), ['1@64+128', '2@256+512', '4@1024+200']);
  t.true(backupBad.lines.some((l) => l.startsWith('Warning: backup GPT header is corrupted (header CRC32')));
});

test('GPT: a broken entry array (CRC) and both headers broken', async (t) => {
  const img = gptImage(GPT_LAYOUT);
  img[2 * SECTOR + 100] ^= 1; // the primary array
  const a = await parse(img);
  t.true(a.lines.some((l) => /^Warning: primary GPT header \(LBA 1\) unusable: entry-array CRC32 .* does not match/.test(l)));
  t.deepEqual(numbers(a.t), ['1@64+128', '2@256+512', '4@1024+200']);
  img[4095 * SECTOR] = 0; // the backup's signature
  const b = await parse(img);
  t.is(typeof b.t === 'object' && b.t.type, 'disk');
  t.deepEqual(numbers(b.t), ['0@0+4096']);
  t.true(b.lines.some((l) => l.startsWith('Error: backup GPT header (LBA 4095) unusable: no "EFI PART" signature')));
  t.true(b.lines.includes('Warning: protective MBR without a usable GPT'));
});

test('GPT: huge entry counts and sizes, headers claiming other LBAs, entries outside the usable range', async (t) => {
  const huge = gptImage(GPT_LAYOUT);
  u32(huge, SECTOR + 80, 0x7fffffff);
  rechecksumHeader(huge, 1);
  const h = await parse(huge);
  t.true(h.lines.some((l) => l.includes('unusable: the entry array of 2147483647 x 128 bytes exceeds')), h.lines.join('\n'));
  t.true(h.reads.every((n) => n <= 64), 'nothing huge was read');
  t.deepEqual(numbers(h.t), ['1@64+128', '2@256+512', '4@1024+200']);

  const size = gptImage(GPT_LAYOUT);
  u32(size, SECTOR + 12, 100000);
  rechecksumHeader(size, 1);
  t.true((await parse(size)).lines.some((l) => l.includes('header size 100000 is outside 92..512')));

  const moved = gptImage(GPT_LAYOUT);
  u32(moved, SECTOR + 24, 7);
  rechecksumHeader(moved, 1);
  t.true((await parse(moved)).lines.some((l) => l.includes('header at LBA 1 says it lies at LBA 7')));

  /* entry 2 reaches past the last usable block; entry 4's first LBA after its last */
  const out = gptImage(GPT_LAYOUT);
  const arr = (lba: number) => lba * SECTOR;
  for (const base of [arr(2), arr(4096 - 33)]) {
    u32(out, base + 128 + 40, 5000);
    u32(out, base + 3 * 128 + 32, 2000);
  }
  const entries = out.slice(arr(2), arr(2) + 128 * 128);
  u32(out, SECTOR + 88, specCrc32(entries));
  rechecksumHeader(out, 1);
  u32(out, 4095 * SECTOR + 88, specCrc32(entries));
  rechecksumHeader(out, 4095);
  const o = await parse(out);
  t.deepEqual(numbers(o.t), ['1@64+128']);
  t.true(o.lines.some((l) => l.startsWith('Error: GPT partition 2: LBA 256..5000 lies outside the usable blocks 34..4062')), o.lines.join('\n'));
  t.true(o.lines.some((l) => l.startsWith('Error: GPT partition 4: first LBA 2000')));
});

test('a valid MBR and a valid GPT are ambiguous unless one is ignored; no table is the whole device', async (t) => {
  const img = gptImage(GPT_LAYOUT);
  const mbr = mbrImage(MBR_LAYOUT);
  img.set(mbr.subarray(0, SECTOR), 0);
  const a = await parse(img);
  t.regex(a.t as string, /^ambiguous tables/);
  t.deepEqual(numbers((await parse(img, { ignoreMbr: true })).t), ['1@64+128', '2@256+512', '4@1024+200']);
  const g = await parse(img, { ignoreGpt: true });
  t.is((g.t as PartitionTable).type, 'mbr');
  t.regex((await parse(img, { ignoreGpt: true, ignoreMbr: true })).t as string, /cannot ignore GPT as well as MBR/);
  const none = await parse(new Uint8Array(64 * SECTOR));
  t.deepEqual(numbers(none.t), ['0@0+64']);
  t.deepEqual(none.lines, []);
});

test('a device that refuses every read is the whole device, with an error', async (t) => {
  const lines: string[] = [];
  const table = await parsePartitionTable(async () => undefined, { blockSize: 512, blockCount: 100, log: (l) => lines.push(l) });
  t.deepEqual(numbers(table), ['0@0+100']);
  t.true(lines.includes('Error: cannot read block 0 (the MBR)'));
});
