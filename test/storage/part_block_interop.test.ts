/*
 * part_block on images no one here wrote: sfdisk (util-linux, Debian package fdisk) makes
 * an MBR with an extended partition holding logical ones, sgdisk (Debian package gdisk) a
 * GPT; the test fills every partition with known bytes, reads the layout back with
 * `sfdisk --json`, runs rom_block + part_block + one client per partition on the image and
 * checks that part_block found the same partitions and that every byte read through the
 * stack matches (the client compares each byte, the test compares the CRC32 of each
 * partition with the image's). A GPT whose primary header is wiped must be read from its
 * backup. Skipped (with a note) when the tools are not installed.
 */
import test from 'ava';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, openSync, readFileSync, rmSync, writeSync, closeSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { partBlockScenario, type ClientSpec } from '../../os/run/part_block.js';
import { partitionByte, specCrc32 } from '../../os/src/test/part_block/image.js';
import { createContainer, kernelBackends } from '../../tool/runner/container.js';
import { loadTargets } from '../../tool/runner/repositories.js';
import { bootModulesFor, runScenario } from '../../tool/runner/run_scenario.js';

const SECTOR = 512;
const have = (tool: string) => spawnSync(tool, ['--version'], { stdio: 'ignore' }).status === 0;
const haveSfdisk = have('sfdisk');
const haveSgdisk = have('sgdisk');

interface Layout { label: string; parts: { number: number; start: number; size: number }[] }

/** The partitions as sfdisk reads them (it reads GPT as well). */
function sfdiskLayout(file: string): Layout {
  const j = JSON.parse(execFileSync('sfdisk', ['--json', file], { encoding: 'utf8' })) as {
    partitiontable: { label: string; partitions: { node: string; start: number; size: number; type: string }[] };
  };
  const parts = j.partitiontable.partitions
    .filter((p) => !['5', 'f', '85'].includes(p.type)) // extended containers are no partitions of their own
    .map((p) => ({ number: Number(/(\d+)$/.exec(p.node)![1]), start: p.start, size: p.size }));
  return { label: j.partitiontable.label, parts };
}

/** Fills each partition with partitionByte(seed = 100 + number, i) through the file. */
function fill(file: string, l: Layout): void {
  const fd = openSync(file, 'r+');
  try {
    for (const p of l.parts) {
      const bytes = Buffer.alloc(p.size * SECTOR);
      for (let i = 0; i < bytes.length; i++) bytes[i] = partitionByte(100 + p.number, i);
      writeSync(fd, bytes, 0, bytes.length, p.start * SECTOR);
    }
  } finally {
    closeSync(fd);
  }
}

const backends = kernelBackends(createContainer());

async function runOn(t: { timeout: (ms: number) => void }, kernel: string, image: Uint8Array, l: Layout, extra: RegExp[] = []) {
  t.timeout(10 * 60_000);
  const clients: ClientSpec[] = l.parts.map((p) => ({ name: `p${p.number}`, partition: p.number, blocks: p.size, seed: 100 + p.number }));
  const sc = partBlockScenario({
    description: 'part_block on an image made by a standard tool',
    disks: [{ name: 'disk', image, server: 'rom_block', clients }],
    succeed: [
      ...l.parts.map((p) => new RegExp(`\\[init -> disk_part\\] 'p${p.number}': partition ${p.number} \\(LBA ${p.start}, ${p.size} blocks\\), read-only$`)),
      ...extra,
    ],
    timeout: '120s',
  });
  const backend = backends.find((b) => b.name === kernel)!;
  const modules = await bootModulesFor(sc, await loadTargets(), backend);
  const r = await runScenario(sc, backend, modules, { hostLimitMs: 8 * 60_000 });
  await r.system.shutdown();
  return r;
}

/** Each client's CRC32 of its partition, compared with the image's bytes. */
function checkCrcs(t: { is: (a: unknown, b: unknown, m?: string) => void }, output: string[], image: Uint8Array, l: Layout): void {
  for (const p of l.parts) {
    const line = output.find((o) => o.startsWith(`[init -> p${p.number}] partition content: `));
    const crc = line ? /crc32 ([0-9a-f]{8})/.exec(line)?.[1] : undefined;
    const want = specCrc32(image.subarray(p.start * SECTOR, (p.start + p.size) * SECTOR)).toString(16).padStart(8, '0');
    t.is(crc, want, `partition ${p.number}: CRC32 of the bytes read through part_block`);
  }
}

function scratch(): { dir: string; done: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'part_block-'));
  return { dir, done: () => rmSync(dir, { recursive: true, force: true }) };
}

function mbrBySfdisk(dir: string): { file: string; layout: Layout } {
  const file = join(dir, 'mbr.img');
  writeFileSync(file, Buffer.alloc(6 << 20));
  /* two primaries, an extended partition, two logical partitions inside it (sfdisk places them) */
  const script = 'label: dos\nunit: sectors\n\nstart=2048, size=1024, type=83\nstart=4096, size=6144, type=5\nstart=10240, size=1024, type=c\nsize=512, type=83\nsize=1536, type=c\n';
  execFileSync('sfdisk', ['-q', file], { input: script });
  const layout = sfdiskLayout(file);
  fill(file, layout);
  return { file, layout };
}

function gptBySgdisk(dir: string): { file: string; layout: Layout } {
  const file = join(dir, 'gpt.img');
  writeFileSync(file, Buffer.alloc(6 << 20));
  execFileSync('sgdisk', ['-o', '-n', '1:2048:+512K', '-c', '1:alpha', '-t', '1:8300', '-n', '3:4096:+1M', '-c', '3:gamma', '-t', '3:0700',
    '-n', '2:8192:9000', '-c', '2:beta', file], { stdio: 'ignore' });
  const layout = sfdiskLayout(file);
  fill(file, layout);
  return { file, layout };
}

for (const kernel of ['nova', 'linux']) {
  (haveSfdisk ? test : test.skip)(`part_block on ${kernel}: an MBR with logical partitions made by sfdisk, every byte read through the stack`, async (t) => {
    const s = scratch();
    try {
      const { file, layout } = mbrBySfdisk(s.dir);
      t.is(layout.label, 'dos');
      t.deepEqual(layout.parts.map((p) => p.number), [1, 3, 5, 6]);
      const image = new Uint8Array(readFileSync(file));
      const r = await runOn(t, kernel, image, layout, [/\[init -> disk_part\] device: 12288 blocks of 512 bytes, read-only; MBR with 4 partition\(s\)$/]);
      t.is(r.status, 'success', `${r.reason}\n${r.output.slice(-30).join('\n')}`);
      checkCrcs(t, r.output, image, layout);
    } finally {
      s.done();
    }
  });

  (haveSgdisk && haveSfdisk ? test : test.skip)(`part_block on ${kernel}: a GPT made by sgdisk, every byte read through the stack`, async (t) => {
    const s = scratch();
    try {
      const { file, layout } = gptBySgdisk(s.dir);
      t.is(layout.label, 'gpt');
      const image = new Uint8Array(readFileSync(file));
      const r = await runOn(t, kernel, image, layout, [
        /\[init -> disk_part\] device: 12288 blocks of 512 bytes, read-only; GPT with 3 partition\(s\)$/,
        /\[init -> disk_part\] GPT Partition 1: LBA 2048 \(1024 blocks\) type: '0fc63daf-8483-4772-8e79-3d69d8477de4' name: 'alpha'$/,
        /\[init -> disk_part\] GPT Partition 3: LBA 4096 \(2048 blocks\) type: 'ebd0a0a2-b9e5-4433-87c0-68b6b72699c7' name: 'gamma'$/,
      ]);
      t.is(r.status, 'success', `${r.reason}\n${r.output.slice(-30).join('\n')}`);
      checkCrcs(t, r.output, image, layout);
    } finally {
      s.done();
    }
  });
}

(haveSgdisk && haveSfdisk ? test : test.skip)('part_block on nova: a GPT made by sgdisk with its primary header wiped is read from the backup header', async (t) => {
  const s = scratch();
  try {
    const { file, layout } = gptBySgdisk(s.dir);
    const image = new Uint8Array(readFileSync(file));
    image.fill(0, SECTOR, 2 * SECTOR);
    const r = await runOn(t, 'nova', image, layout, [
      /\[init -> disk_part\] Warning: primary GPT header \(LBA 1\) unusable: no "EFI PART" signature; using the backup header at LBA 12287$/,
    ]);
    t.is(r.status, 'success', `${r.reason}\n${r.output.slice(-30).join('\n')}`);
    checkCrcs(t, r.output, image, layout);
  } finally {
    s.done();
  }
});

test('the interoperability tools', (t) => {
  if (!haveSfdisk || !haveSgdisk) t.log(`not installed: ${[haveSfdisk ? '' : 'sfdisk (Debian package fdisk)', haveSgdisk ? '' : 'sgdisk (Debian package gdisk)'].filter(Boolean).join(', ')}; those tests are skipped`);
  t.pass();
});
