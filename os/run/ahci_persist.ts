import { ERROR_LINE, scenario } from '../../base/src/scenario.js';
import { ahciConfig } from './ahci.js';

/*
 * ahci_drv across runs: the client reads a marker block, logs it and writes the next
 * marker, then syncs. With `tool/run --disk FILE ahci_persist` twice, the second run finds
 * the first run's marker (test/run/ahci_disk.test.ts); alone it runs on a blank disk.
 */
export default scenario({
  description: 'ahci_drv persistence: reads the marker block of the disk (tool/run --disk FILE), writes the next marker and syncs',
  modules: ['timer', 'platform_drv', 'ahci_drv', 'test-ahci'],
  disks: [new Uint8Array(1024 * 512)],
  config: ahciConfig('test-ahci', '<config mode="persist"/>'),
  succeed: [
    /\[init -> test-ahci\] (no marker found|marker \d+ found)/,
    /\[init -> test-ahci\] wrote marker \d+/,
    /child "test-ahci" exited with exit value 0/,
  ],
  fail: ERROR_LINE,
  timeout: '60s',
});
