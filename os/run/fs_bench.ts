import { ERROR_LINE, scenario } from '../../base/src/scenario.js';
import { formatFat } from '../src/lib/vfs/plugin/fat/format.js';

/*
 * File throughput for npm run bench (tool/bench/fs.ts reads the "bench" markers): 4 MiB
 * written and read in 64 KiB requests, 16 in flight, once through a Block session to a
 * ram_block and once as a file through the vfs server's File_system session, whose <fat/>
 * sits on a second ram_block of the same size (a FAT16 volume made by our formatter). As
 * a scenario it checks that both complete and the file reads back as written.
 */
const DISK_BYTES = 8 * 1024 * 1024;
const fatImage = formatFat(DISK_BYTES / 512, { fatType: 16, label: 'BENCH' });

export default scenario({
  description: 'File_system throughput benchmark: a 4 MiB file written and read in 64 KiB requests through the vfs server with <fat/> on ram_block, next to the same requests to a ram_block through a Block session',
  modules: ['ram_block', 'vfs', 'test-fs_bench'],
  roms: { 'fat.img': fatImage },
  config: `<config>
  <parent-provides>
    <service name="ROM"/> <service name="PD"/> <service name="CPU"/> <service name="LOG"/>
  </parent-provides>
  <start name="raw_block" caps="100">
    <binary name="ram_block"/>
    <resource name="RAM" quantum="10M"/>
    <provides><service name="Block"/></provides>
    <config size="${DISK_BYTES}" block_size="512"/>
    <route><any-service><parent/></any-service></route>
  </start>
  <start name="fat_block" caps="100">
    <binary name="ram_block"/>
    <resource name="RAM" quantum="10M"/>
    <provides><service name="Block"/></provides>
    <config file="fat.img" block_size="512"/>
    <route><any-service><parent/></any-service></route>
  </start>
  <start name="vfs" caps="200">
    <resource name="RAM" quantum="8M"/>
    <provides><service name="File_system"/></provides>
    <config>
      <vfs> <fat label="fat" buffer_size="1M" cache_size="1M" writeable="yes"/> </vfs>
      <default-policy root="/" writeable="yes"/>
    </config>
    <route>
      <service name="Block"><child name="fat_block"/></service>
      <any-service><parent/></any-service>
    </route>
  </start>
  <start name="test-fs_bench" caps="200">
    <resource name="RAM" quantum="12M"/>
    <config size="4M" chunk="64K" depth="16"/>
    <route>
      <service name="Block" label="raw"><child name="raw_block"/></service>
      <service name="File_system"><child name="vfs"/></service>
      <any-service><parent/></any-service>
    </route>
  </start>
</config>`,
  succeed: [
    /\[init -> test-fs_bench\] raw: 16384 blocks of 512 bytes/,
    /\[init -> test-fs_bench\] bench fs-rd done 4194304/,
    /\[init -> test-fs_bench\] file: 4194304 bytes written and read back, 0 chunks differ/,
    /\[init -> test-fs_bench\] --- fs_bench finished ---$/,
  ],
  fail: new RegExp(`${ERROR_LINE.source}|fs_bench finished --- with errors`),
  timeout: '120s',
});
