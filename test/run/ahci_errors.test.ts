/*
 * ahci_drv's error path: a disk whose medium refuses writes (the drive aborts them: PxTFD
 * ERR with ABRT, PxIS.TFES) behind a policy that says writeable. The writes are acknowledged
 * failed with a log line, the port recovers, and the reads in flight with them and after
 * them are served. On every kernel, the same patterns.
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
  modules: ['platform_drv', 'ahci_drv', 'test-ahci'],
  disks: [testImage(256 * 512)],
  config: ahciConfig('test-ahci', '<config mode="error"/>'),
  succeed: [
    /\[init -> ahci_drv\] Error: port 0: task file error \(PxIS 0x4000000[08] TFD 0x451 status 0x51 error 0x4 SERR 0x0\) in WRITE FPDMA QUEUED of 4 block\(s\) at 5; port recovered/,
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

for (const backend of kernelBackends(createContainer())) {
  test.serial(`ahci_drv on ${backend.name}: writes the drive aborts fail with a log line, the port recovers, reads go on`, async (t) => {
    t.timeout(5 * 60_000);
    const modules = await bootModulesFor(sc, await loadTargets(), backend);
    const image = new DiskImage(testImage(256 * 512), { name: 'refusing disk', readOnly: true });
    const r = await runScenario(sc, backend, modules, { storage: () => ({ disks: [image] }), hostLimitMs: 5 * 60_000 });
    await r.system.shutdown();
    t.is(r.status, 'success', `${r.reason}\n${r.output.slice(-25).join('\n')}`);
  });
}
