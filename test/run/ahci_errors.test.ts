/*
 * ahci_drv's error paths, on every kernel with the same patterns:
 * - a disk whose medium refuses writes (the drive aborts them: PxTFD ERR with ABRT,
 *   PxIS.TFES) behind a policy that says writeable: the writes are acknowledged failed with
 *   a log line, the NCQ error log names the failing tag, the port recovers, and the reads in
 *   flight with them and after them are served;
 * - a disk with an unreadable block among eight queued reads: the NCQ error log (READ LOG
 *   EXT 10h) names tag 5, not the first command, and only that read fails;
 * - a drive that stops answering (the emulated device's fault-injection knob): the command
 *   times out, the port is reset (COMRESET) and the commands behind it are served.
 */
import test from 'ava';
import { scenario } from '../../base/src/scenario.js';
import { ahciConfig } from '../../os/run/ahci.js';
import { testImage } from '../../os/src/test/block/image.js';
import { DiskImage } from '../../tool/pc/disk.js';
import { createContainer, kernelBackends } from '../../tool/runner/container.js';
import { loadTargets } from '../../tool/runner/repositories.js';
import { bootModulesFor, runScenario } from '../../tool/runner/run_scenario.js';

const sc = scenario({
  description: 'ahci_drv with a disk that refuses writes',
  modules: ['timer', 'platform_drv', 'ahci_drv', 'test-ahci'],
  disks: [testImage(256 * 512)],
  config: ahciConfig('test-ahci', '<config mode="error"/>'),
  succeed: [
    /\[init -> ahci_drv\] Error: port 0: task file error \(PxIS 0x4000000[08] TFD 0x451 status 0x51 error 0x4 SERR 0x0\) with 4 queued command\(s\) in flight; reading the NCQ error log/,
    /\[init -> ahci_drv\] Error: port 0: NCQ error log: tag 0 failed \(status 0x51 error 0x4 ABRT at LBA 5\) in WRITE FPDMA QUEUED of 4 block\(s\) at 5; 3 other queued command\(s\) issued again/,
    /\[init -> ahci_drv\] Error: "test-ahci -> disk": write of 4 block\(s\) at 5 failed: AHCI command error: WRITE FPDMA QUEUED of 4 block\(s\) at 5: task file error, error register 0x4/,
    /\[init -> test-ahci\] write to the refusing medium: failed/,
    /\[init -> test-ahci\] 3 reads in flight with it: served/,
    /\[init -> test-ahci\] another write: failed/,
    /\[init -> test-ahci\] after the errors: reads served, the blocks unchanged/,
    /\[init -> test-ahci\] --- AHCI error test finished ---/,
    /child "test-ahci" exited with exit value 0/,
  ],
  fail: /\[init -> test-ahci\] Error: |unexpected|exited with exit value [1-9]|\[core\] Error: /,
  timeout: '60s',
});

const unreadable = scenario({
  description: 'ahci_drv with a disk whose block 40 cannot be read',
  modules: ['timer', 'platform_drv', 'ahci_drv', 'test-ahci'],
  disks: [testImage(256 * 512)],
  config: ahciConfig('test-ahci', '<config mode="unreadable"/>'),
  succeed: [
    /\[init -> ahci_drv\] Error: port 0: task file error \(PxIS 0x400000[0-9a-f]{2} TFD 0x4051 status 0x51 error 0x40 SERR 0x0\) with \d+ queued command\(s\) in flight; reading the NCQ error log/,
    /\[init -> ahci_drv\] Error: port 0: NCQ error log: tag \d+ failed \(status 0x51 error 0x40 UNC at LBA 40\) in READ FPDMA QUEUED of 8 block\(s\) at 40; \d+ other queued command\(s\) issued again/,
    /\[init -> ahci_drv\] Error: "test-ahci -> disk": read of 8 block\(s\) at 40 failed: AHCI command error: READ FPDMA QUEUED of 8 block\(s\) at 40: task file error, error register 0x40/,
    /\[init -> test-ahci\] 8 reads in flight: 7 served with the right data, failed: the one at 40$/,
    /\[init -> test-ahci\] a read next to the bad block: served/,
    /\[init -> test-ahci\] --- AHCI unreadable test finished ---/,
    /child "test-ahci" exited with exit value 0/,
  ],
  fail: /\[init -> test-ahci\] Error: |unexpected|exited with exit value [1-9]|\[core\] Error: /,
  timeout: '60s',
});

const hang = scenario({
  description: 'ahci_drv with a drive that stops answering at block 64',
  modules: ['timer', 'platform_drv', 'ahci_drv', 'test-ahci'],
  disks: [testImage(256 * 512)],
  config: ahciConfig('test-ahci', '<config mode="hang"/>', 'command_timeout_ms="100"'),
  succeed: [
    /\[init -> ahci_drv\] Error: port 0: READ FPDMA QUEUED of 1 block\(s\) at 64 did not complete within 100 ms; port reset, 2 other command\(s\) issued again/,
    /\[init -> ahci_drv\] Error: "test-ahci -> disk": read of 1 block\(s\) at 64 failed: AHCI command error: READ FPDMA QUEUED of 1 block\(s\) at 64: no answer within 100 ms/,
    /\[init -> test-ahci\] read of the block the drive hangs at: failed/,
    /\[init -> test-ahci\] the 2 reads behind it: served with the right data/,
    /\[init -> test-ahci\] after the reset: read, write and sync served$/,
    /\[init -> test-ahci\] --- AHCI hang test finished ---/,
    /child "test-ahci" exited with exit value 0/,
  ],
  fail: /\[init -> test-ahci\] Error: |unexpected|exited with exit value [1-9]|\[core\] Error: /,
  timeout: '60s',
});

const cases = [
  { what: 'writes the drive aborts fail with a log line, the NCQ error log names them, the port recovers, reads go on', sc,
    image: () => new DiskImage(testImage(256 * 512), { name: 'refusing disk', readOnly: true }) },
  { what: 'an unreadable block among queued reads: the NCQ error log names its tag, only that read fails', sc: unreadable,
    image: () => new DiskImage(testImage(256 * 512), { name: 'disk with a bad block', faults: { unreadable: [40] } }) },
  { what: 'a drive that stops answering: the command times out, the port is reset, the others are served', sc: hang,
    image: () => new DiskImage(testImage(256 * 512), { name: 'hanging disk', faults: { hangAt: [64] } }) },
];

for (const backend of kernelBackends(createContainer())) {
  for (const c of cases) {
    test.serial(`ahci_drv on ${backend.name}: ${c.what}`, async (t) => {
      t.timeout(5 * 60_000);
      const modules = await bootModulesFor(c.sc, await loadTargets(), backend);
      const image = c.image();
      const r = await runScenario(c.sc, backend, modules, { storage: () => ({ disks: [image] }), hostLimitMs: 5 * 60_000 });
      await r.system.shutdown();
      t.is(r.status, 'success', `${r.reason}\n${r.output.slice(-25).join('\n')}`);
    });
  }
}
