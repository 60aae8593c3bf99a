/*
 * An ISO 9660 image no one here wrote, on the emulated AHCI's CD drive as `tool/run --cdrom
 * PATH` puts it there (the same HostDiskFile), read through ahci_drv (ATAPI) and iso9660:
 * a client compares every file byte for byte with the original. xorriso (Rock Ridge) on
 * every kernel, genisoimage (Joliet) on NOVA. A tool that is not installed skips its test
 * (.ci/run installs both).
 */
import test from 'ava';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ERROR_LINE, parentProvides, scenario } from '../../base/src/scenario.js';
import { ahciIsoServers, clientStart, fileBytes, type ExpectedFile } from '../../os/src/test/rom_files/stack.js';
import { createContainer, kernelBackends } from '../../tool/runner/container.js';
import { HostDiskFile } from '../../tool/runner/host_disk.js';
import { loadTargets } from '../../tool/runner/repositories.js';
import { bootModulesFor, runScenario } from '../../tool/runner/run_scenario.js';

const backends = kernelBackends(createContainer());

function have(tool: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const enc = new TextEncoder();
const files: ExpectedFile[] = [
  { path: 'readme.txt', data: enc.encode('made by a standard tool, read from the AHCI CD drive\n') },
  { path: 'boot/kernel.bin', data: fileBytes(31, 300_000) },
  { path: 'data/sector.bin', data: fileBytes(32, 2048) },
  { path: 'data/empty', data: new Uint8Array(0) },
  { path: 'data/nested/deeper/leaf.dat', data: fileBytes(33, 4097) },
  ...Array.from({ length: 12 }, (_, i) => ({ path: `many/file_${i}.txt`, data: fileBytes(300 + i, 311 * i + 1) })),
];
const missing = ['nope', 'boot', 'data/nested/deeper/leaf.dat/x'];

const variants = [
  { tool: 'xorriso', args: ['-as', 'mkisofs', '-R'], config: '<config/>', allKernels: true },
  { tool: 'genisoimage', args: ['-J'], config: '<config/>', allKernels: false },
];

for (const v of variants) {
  const what = `${v.tool} ${v.args.join(' ')}`;
  test.serial(`ahci_drv + iso9660 serve every file of a CD made by ${what} (--cdrom), byte for byte${v.allKernels ? ', on every kernel' : ''}`, async (t) => {
    if (!have(v.tool)) return t.pass(`${v.tool} is not installed: skipped`);
    t.timeout(5 * 60_000);
    const dir = mkdtempSync(join(tmpdir(), 'genode-ts-ahci-iso-'));
    t.teardown(() => rmSync(dir, { recursive: true, force: true }));
    for (const f of files) {
      mkdirSync(dirname(join(dir, 'root', f.path)), { recursive: true });
      writeFileSync(join(dir, 'root', f.path), f.data);
    }
    const iso = join(dir, 'cd.iso');
    execFileSync(v.tool, [...v.args, '-quiet', '-V', 'AHCI_INTEROP', '-o', iso, join(dir, 'root')], { stdio: ['ignore', 'ignore', 'pipe'] });
    t.is(HostDiskFile.problem(iso, 'cdrom'), undefined);
    const client = clientStart('t', 'iso9660', files, missing, { verbose: false });
    const sc = scenario({
      description: `interop: ${what} on the AHCI CD drive`,
      modules: ['timer', 'platform_drv', 'ahci_drv', 'iso9660', 'test-rom_files'],
      roms: client.roms,
      config: `<config>${parentProvides(['IO_PORT', 'IO_MEM', 'IRQ'])}${ahciIsoServers('iso9660', 0, '8M', v.config)}${client.start}</config>`,
      succeed: [
        /\[init -> ahci_drv\] port 0: ATAPI "[^"]*" serial "[^"]*": \d+ blocks of 2048 bytes/,
        /\[init -> iso9660\] volume "AHCI_INTEROP": 17 files/,
        new RegExp(`\\[init -> t\\] all ${files.length} files identical \\(\\d+ bytes\\), ${missing.length} missing files denied`),
      ],
      fail: ERROR_LINE,
      timeout: '60s',
      ramMiB: 128,
    });
    for (const backend of v.allKernels ? backends : backends.filter((b) => b.name === 'nova')) {
      const modules = await bootModulesFor(sc, await loadTargets(), backend);
      /* what tool/run --cdrom PATH gives the machine: the host file, read-only, on the port after the disks */
      const r = await runScenario(sc, backend, modules, { storage: () => ({ disks: [], cdrom: new HostDiskFile(iso, 'cdrom').open() }), hostLimitMs: 120_000 });
      await r.system.shutdown();
      t.is(r.status, 'success', `${backend.name}: ${r.reason}\n${r.output.slice(-15).join('\n')}`);
    }
  });
}
