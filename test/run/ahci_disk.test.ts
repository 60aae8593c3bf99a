/*
 * ahci_drv and `tool/run --disk FILE`: two runs of the ahci_persist scenario on one host
 * image file. The first finds no marker and writes marker 1 through the driver (WRITE FPDMA
 * QUEUED, FLUSH CACHE EXT); the file holds it afterwards; the second run reads it back and
 * writes marker 2. Blocks the guest did not write stay as they were.
 */
import test from 'ava';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './cli.js';

const MARK_BLOCK = 100;

for (const kernel of ['nova', 'linux']) {
  test(`ahci_persist on ${kernel}: a marker written through ahci_drv survives into the next run via --disk`, async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'ahci-drv-'));
    t.teardown(() => rmSync(dir, { recursive: true, force: true }));
    const path = join(dir, 'disk.img');
    const original = new Uint8Array(512 * 512);
    for (let i = 0; i < original.length; i++) original[i] = (i * 7 + (i >> 9)) & 0xff;
    original.fill(0, MARK_BLOCK * 512, (MARK_BLOCK + 1) * 512);
    writeFileSync(path, original);

    const first = await runCli(['--kernel', kernel, '--disk', path, 'ahci_persist']);
    t.is(first.code, 0, first.stdout + first.stderr);
    t.regex(first.stdout, /\[init -> test-ahci\] no marker found/);
    t.regex(first.stdout, /\[init -> test-ahci\] wrote marker 1/);
    t.regex(first.stdout, /\[init -> ahci_drv\] port 0: ATA "genode-ts AHCI disk" serial "[^"]*": 512 blocks of 512 bytes/);
    const after = new Uint8Array(readFileSync(path));
    t.is(after.length, original.length);
    t.is(new TextDecoder().decode(after.subarray(MARK_BLOCK * 512, MARK_BLOCK * 512 + 23)), 'genode-ts ahci marker 1');
    t.deepEqual(after.subarray(0, MARK_BLOCK * 512), original.subarray(0, MARK_BLOCK * 512));
    t.deepEqual(after.subarray((MARK_BLOCK + 1) * 512), original.subarray((MARK_BLOCK + 1) * 512));

    const second = await runCli(['--kernel', kernel, '--disk', path, 'ahci_persist']);
    t.is(second.code, 0, second.stdout + second.stderr);
    t.regex(second.stdout, /\[init -> test-ahci\] marker 1 found/);
    t.regex(second.stdout, /\[init -> test-ahci\] wrote marker 2/);
    const again = new Uint8Array(readFileSync(path));
    t.is(new TextDecoder().decode(again.subarray(MARK_BLOCK * 512, MARK_BLOCK * 512 + 23)), 'genode-ts ahci marker 2');
  });
}
