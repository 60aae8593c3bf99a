/*
 * Interoperability of iso9660 and tar_rom with images no one here wrote: the tests make
 * ISO 9660 images with xorriso (-as mkisofs) and genisoimage (Rock Ridge, Joliet, plain
 * level-3 names) and tar archives with GNU tar (gnu, ustar and pax formats, a path over
 * 100 bytes, nested directories, an empty file) from a temporary directory of known files,
 * boot rom_block -> iso9660 (or tar_rom) with a client on the emulated NOVA kernel (one
 * image of each kind on every kernel), and the client compares every file byte for byte
 * with the original (a ROM module from core).
 * A tool that is not installed skips its tests (.ci/run installs xorriso and genisoimage).
 */
import test from 'ava';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ERROR_LINE, parentProvides, scenario } from '../../base/src/scenario.js';
import { IsoVolume, type NameScheme } from '../../os/src/server/iso9660/iso9660.js';
import { indexTar } from '../../os/src/server/tar_rom/tar.js';
import { clientStart, fileBytes, isoServers, tarServer, type ExpectedFile } from '../../os/src/test/rom_files/stack.js';
import { createContainer, kernelBackends } from '../../tool/runner/container.js';
import { loadTargets } from '../../tool/runner/repositories.js';
import { bootModulesFor, runScenario } from '../../tool/runner/run_scenario.js';

const backends = kernelBackends(createContainer());
const nova = backends.find((b) => b.name === 'nova')!;
type Backend = typeof nova;

function have(tool: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const enc = new TextEncoder();

/** Known files: names every ISO 9660 flavour keeps (lower-case, one dot at most), four levels deep. */
const isoFiles: ExpectedFile[] = [
  { path: 'readme.txt', data: enc.encode('made by a standard tool, read through genode-ts\n') },
  { path: 'boot/config', data: enc.encode('<config>\n  <default caps="100"/>\n</config>\n') },
  { path: 'boot/kernel.bin', data: fileBytes(11, 300_000) },
  { path: 'data/sector.bin', data: fileBytes(12, 2048) },
  { path: 'data/empty', data: new Uint8Array(0) },
  { path: 'data/nested/deeper/leaf.dat', data: fileBytes(13, 4097) },
  ...Array.from({ length: 40 }, (_, i) => ({ path: `many/file_${i}.txt`, data: fileBytes(100 + i, 37 * i + 1) })),
];

function writeTree(files: ExpectedFile[], extra: string[] = []): string {
  const dir = mkdtempSync(join(tmpdir(), 'genode-ts-files-'));
  for (const f of files) {
    mkdirSync(dirname(join(dir, 'root', f.path)), { recursive: true });
    writeFileSync(join(dir, 'root', f.path), f.data);
  }
  for (const d of extra) mkdirSync(join(dir, 'root', d), { recursive: true });
  return dir;
}

async function runStack(name: string, servers: string, image: Record<string, Uint8Array>, files: ExpectedFile[], missing: string[], server: string, backend: Backend = nova) {
  const client = clientStart('t', server, files, missing, { verbose: false });
  const sc = scenario({
    description: `interop: ${name}`,
    modules: ['rom_block', 'iso9660', 'tar_rom', 'test-rom_files'],
    roms: { ...image, ...client.roms },
    config: `<config>${parentProvides()}${servers}${client.start}</config>`,
    succeed: new RegExp(`\\[init -> t\\] all ${files.length} files identical \\(\\d+ bytes\\), ${missing.length} missing files denied`),
    fail: ERROR_LINE,
    timeout: '60s',
    ramMiB: 128,
  });
  const modules = await bootModulesFor(sc, await loadTargets(), backend);
  const r = await runScenario(sc, backend, modules, { hostLimitMs: 120_000 });
  await r.system.shutdown();
  return r;
}

/* xorriso writes Rock Ridge always; with rock_ridge="no" iso9660 takes the Joliet names */
const isoVariants: Array<{ tool: string; args: string[]; scheme: NameScheme; noRockRidge?: boolean; allKernels?: boolean; blockSize?: number }> = [
  { tool: 'xorriso', args: ['-as', 'mkisofs', '-R'], scheme: 'rock ridge', allKernels: true },
  { tool: 'xorriso', args: ['-as', 'mkisofs', '-R', '-J'], scheme: 'rock ridge' },
  { tool: 'xorriso', args: ['-as', 'mkisofs', '-J'], scheme: 'joliet', noRockRidge: true },
  { tool: 'genisoimage', args: ['-R'], scheme: 'rock ridge', blockSize: 512 },
  { tool: 'genisoimage', args: ['-J'], scheme: 'joliet' },
  { tool: 'genisoimage', args: ['-iso-level', '3'], scheme: 'iso9660' },
];

for (const v of isoVariants) {
  const what = `${v.tool} ${v.args.join(' ')}${v.noRockRidge ? ' (rock_ridge="no")' : ''}${v.blockSize ? ` on ${v.blockSize}-byte device blocks` : ''}`;
  test.serial(`iso9660 serves every file of an image made by ${what}, byte for byte${v.allKernels ? ', on every kernel' : ''}`, async (t) => {
    if (!have(v.tool)) return t.pass(`${v.tool} is not installed: skipped`);
    t.timeout(180_000);
    const dir = writeTree(isoFiles, ['empty_dir']);
    try {
      const iso = join(dir, 'cd.iso');
      execFileSync(v.tool, [...v.args, '-quiet', '-V', 'INTEROP', '-o', iso, join(dir, 'root')], { stdio: ['ignore', 'ignore', 'pipe'] });
      const image = new Uint8Array(readFileSync(iso));
      /* the parser alone first: the names scheme and the tree */
      const vol = await IsoVolume.open(async (o, n) => image.slice(o, o + n), image.length, { rockRidge: !v.noRockRidge });
      t.deepEqual(vol.problems, []);
      t.is(vol.scheme, v.scheme);
      t.is(vol.files.size, isoFiles.length);
      for (const backend of v.allKernels ? backends : [nova]) {
        const r = await runStack(what, isoServers('iso9660', 'cd.iso', '8M', v.noRockRidge ? '<config rock_ridge="no"/>' : '<config/>', v.blockSize), { 'cd.iso': image }, isoFiles,
          ['nope', 'boot', 'empty_dir', 'data/nested/deeper/leaf.dat/x'], 'iso9660', backend);
        t.is(r.status, 'success', `${backend.name}: ${r.reason}\n${r.output.slice(-15).join('\n')}`);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

/* a path of 104 bytes (over the 100 of a header's name field), nested directories, an empty file */
const longPath = 'a-directory-with-a-long-name/a-second-level-directory/and-a-third-one/finally-the-long-file-name-of-it.bin';
const tarFiles: ExpectedFile[] = [
  { path: 'config', data: enc.encode('<config><archive name="archive.tar"/></config>\n') },
  { path: 'bin/program', data: fileBytes(21, 123_457) },
  { path: 'bin/sub/dir/deep.txt', data: fileBytes(22, 512) },
  { path: longPath, data: fileBytes(23, 1000) },
  { path: 'empty', data: new Uint8Array(0) },
  ...Array.from({ length: 20 }, (_, i) => ({ path: `many/f${i}`, data: fileBytes(200 + i, 91 * i) })),
];

for (const format of ['gnu', 'ustar', 'pax']) {
  test.serial(`tar_rom serves every file of a GNU tar archive (--format=${format}), byte for byte${format === 'gnu' ? ', on every kernel' : ''}`, async (t) => {
    if (!have('tar')) return t.pass('tar is not installed: skipped');
    t.timeout(180_000);
    const dir = writeTree(tarFiles, ['empty_dir']);
    try {
      const archive = join(dir, 'archive.tar');
      execFileSync('ln', ['-s', 'program', join(dir, 'root', 'bin', 'link')]);
      execFileSync('tar', [`--format=${format}`, '-cf', archive, '-C', join(dir, 'root'), '.']);
      const bytes = new Uint8Array(readFileSync(archive));
      const index = indexTar(bytes);
      t.deepEqual(index.problems, []);
      t.true(index.endMarker);
      t.deepEqual([...index.files.keys()].sort(), tarFiles.map((f) => f.path).sort());
      t.true(tarFiles[3]!.path.length > 100);
      for (const backend of format === 'gnu' ? backends : [nova]) {
        const r = await runStack(`GNU tar --format=${format}`, tarServer('tar_rom', 'archive.tar', '8M'), { 'archive.tar': bytes }, tarFiles,
          ['nope', 'bin', 'bin/link', 'empty_dir', 'bin/sub'], 'tar_rom', backend);
        t.is(r.status, 'success', `${backend.name}: ${r.reason}\n${r.output.slice(-15).join('\n')}`);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
