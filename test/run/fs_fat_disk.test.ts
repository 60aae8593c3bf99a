/*
 * fs_fat and `tool/run --disk FILE`: two runs on one host image file. The first finds no
 * previous run and leaves /persist; the second reads the first run's files back byte for
 * byte through ahci_drv, part_block, the vfs server and the fat plugin. Afterwards
 * (when dosfstools and mtools are installed) fsck.vfat -n finds the partition clean and
 * mtools reads the file the last run wrote.
 */
import test from 'ava';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FS_FAT_PART_LENGTH, FS_FAT_PART_START, fsFatDisk } from '../../os/run/fs_fat.js';
import { runCli } from './cli.js';

const haveTools = spawnSync('sh', ['-c', 'command -v fsck.vfat && command -v mcopy'], { stdio: 'ignore' }).status === 0;

for (const kernel of ['nova', 'linux']) {
  test(`fs_fat on ${kernel}: files written through the FAT plugin are there on the next run with --disk`, async (t) => {
    t.timeout(10 * 60_000);
    const dir = mkdtempSync(join(tmpdir(), 'fs-fat-'));
    t.teardown(() => rmSync(dir, { recursive: true, force: true }));
    const path = join(dir, 'disk.img');
    writeFileSync(path, fsFatDisk());

    const first = await runCli(['--kernel', kernel, '--headless', '--disk', path, 'fs_fat']);
    t.is(first.code, 0, first.stdout + first.stderr);
    t.regex(first.stdout, /\[init -> test-fs_fat\] persist: no previous run/);
    t.regex(first.stdout, /\[init -> test-fs_fat\] persist: this is run 1/);

    const second = await runCli(['--kernel', kernel, '--headless', '--disk', path, 'fs_fat']);
    t.is(second.code, 0, second.stdout + second.stderr);
    t.regex(second.stdout, /\[init -> test-fs_fat\] persist: run 1 left its files, read back and verified/);
    t.regex(second.stdout, /\[init -> test-fs_fat\] persist: this is run 2/);

    if (!haveTools) {
      t.log('dosfstools/mtools not installed: the fsck.vfat and mtools checks of the image are left out');
      return;
    }
    const image = readFileSync(path);
    const part = join(dir, 'part.img');
    writeFileSync(part, image.subarray(FS_FAT_PART_START * 512, (FS_FAT_PART_START + FS_FAT_PART_LENGTH) * 512));
    const fsck = spawnSync('fsck.vfat', ['-n', part], { encoding: 'utf8' });
    t.is(fsck.status, 0, fsck.stdout + fsck.stderr);
    t.deepEqual((fsck.stdout + fsck.stderr).trim().split('\n').filter((l) => !/^fsck\.fat \d/.test(l) && !/: \d+ files, \d+\/\d+ clusters$/.test(l)), []);
    const env = { ...process.env, MTOOLS_SKIP_CHECK: '1' };
    const runs = spawnSync('mtype', ['-i', part, '::/persist/runs.txt'], { encoding: 'utf8', env });
    t.is(runs.stdout, 'runs: 2', runs.stderr);
    const out = join(dir, 'out');
    const cp = spawnSync('mcopy', ['-n', '-i', part, '::/persist/A file that outlives the run.bin', out], { encoding: 'utf8', env });
    t.is(cp.status, 0, cp.stderr);
    t.is(readFileSync(out).length, 5000);
  });
}
