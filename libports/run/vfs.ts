import { ERROR_LINE, scenario, parentProvides } from '../../base/src/scenario.js';
import { buildTar } from '../../os/src/test/rom_files/tar_image.js';

/*
 * The libc's POSIX-style file API across a VFS of many plugins (Genode's libc_vfs test):
 * test-libc_vfs works on a ram file system with a capacity, ROM modules, an inline file, a
 * tar archive, a File_system session of a vfs server (writeable, and a second one whose
 * policy is read-only), log, null, zero, a block device (ram_block) and a configured
 * symlink, checking results
 * and errors (ENOENT, EEXIST, EISDIR, ENOTDIR, ENOTEMPTY, ENOSPC, EXDEV, EACCES on
 * read-only files, EPERM, ESPIPE, ...).
 */
const enc = new TextEncoder();
const guide = 'Version 2 of the guide.';
const archive = buildTar([
  { type: 'dir', name: 'docs' },
  { type: 'file', name: 'docs/readme.txt', data: enc.encode('Read me first.') },
  { type: 'dir', name: 'docs/guide' },
  { type: 'file', name: 'docs/guide/v2.txt', data: enc.encode(guide) },
  { type: 'symlink', name: 'docs/latest', target: 'guide/v2.txt' },
  { type: 'file', name: 'bin/tool', data: new Uint8Array(3000).fill(0x90) },
]);

export default scenario({
  description: 'libc (libports) POSIX-style file API over a VFS of ram, rom, inline, tar, fs (vfs server, read-write and read-only), log, null, zero, block and symlink plugins: results and errno values checked',
  modules: ['vfs', 'ram_block', 'test-libc_vfs'],
  roms: { 'hello.txt': enc.encode('Hello from a ROM module'), 'archive.tar': archive },
  config: `<config>
  ${parentProvides()}
  <start name="vfs" caps="200">
    <resource name="RAM" quantum="4M"/>
    <provides><service name="File_system"/></provides>
    <config>
      <vfs> <ram/> <inline name="readme">served by the vfs server</inline> </vfs>
      <policy label="test-libc_vfs -> fs" root="/" writeable="yes"/>
      <policy label="test-libc_vfs -> ro" root="/" writeable="no"/>
    </config>
    <route><any-service><parent/></any-service></route>
  </start>
  <start name="ram_block" caps="100">
    <resource name="RAM" quantum="2M"/>
    <provides><service name="Block"/></provides>
    <config size="64K" block_size="512"/>
    <route><any-service><parent/></any-service></route>
  </start>
  <start name="test-libc_vfs" caps="200">
    <resource name="RAM" quantum="8M"/>
    <config>
      <vfs>
        <dir name="dev"> <log/> <null/> <zero/> <block name="block" block_buffer_count="4"/> </dir>
        <dir name="tmp"> <ram capacity="64K"/> </dir>
        <dir name="rom"> <rom name="hello.txt"/> <rom name="greeting" label="hello.txt"/> </dir>
        <dir name="etc"> <inline name="motd">Welcome to genode-ts</inline> </dir>
        <dir name="tar"> <tar name="archive.tar"/> </dir>
        <dir name="fs"> <fs label="fs"/> </dir>
        <dir name="ro"> <fs label="ro"/> </dir>
        <symlink name="home" target="/tmp"/>
      </vfs>
      <libc stdin="/dev/null" stdout="/dev/log" stderr="/dev/log" cwd="/tmp"/>
      <expect rom="/rom/hello.txt" text="Hello from a ROM module"/>
      <expect rom="/rom/greeting" text="Hello from a ROM module"/>
      <expect tar="/tar/docs/readme.txt" text="Read me first."/>
      <expect tar="/tar/docs/guide/v2.txt" text="${guide}"/>
    </config>
    <route>
      <service name="File_system"><child name="vfs"/></service>
      <service name="Block"><child name="ram_block"/></service>
      <any-service><parent/></any-service>
    </route>
  </start>
</config>`,
  succeed: [
    /\[init -> test-libc_vfs\] hello from stdout via \/dev\/log$/m,
    /\[init -> test-libc_vfs\] and from stderr, in two writes$/m,
    /\[init -> test-libc_vfs\] stdio: stdin \/dev\/null, stdout and stderr to \/dev\/log ok/,
    /\[init -> test-libc_vfs\] ram: open\/read\/write\/lseek\/pread\/pwrite\/ftruncate\/fsync, .* ok/,
    /\[init -> test-libc_vfs\] ram directories: mkdir\/readdir\/rename\/symlink\/readlink\/chdir\/rmdir\/unlink, .* ok/,
    /\[init -> test-libc_vfs\] ram capacity: ENOSPC after 65536 bytes, space back after unlink ok/,
    /\[init -> test-libc_vfs\] rom: 2 ROM files read, write EACCES, unlink EPERM, create EACCES, ENOENT ok/,
    /\[init -> test-libc_vfs\] inline: \/etc\/motd read, write EACCES ok/,
    /\[init -> test-libc_vfs\] tar: 2 archive files read, directories listed, symlink followed, EACCES EPERM ENOENT EXDEV ok/,
    /\[init -> test-libc_vfs\] fs: mkdir, 10000 bytes written and read back, rename, readdir, EXDEV EEXIST ENOTEMPTY ENOENT over a File_system session ok/,
    /\[init -> test-libc_vfs\] read-only fs: read ok, create and write EACCES/,
    /\[init -> test-libc_vfs\] dev: zero, null, and a 65536-byte block device with unaligned access ok/,
    /\[init -> test-libc_vfs\] symlink plugin: \/home -> \/tmp followed, EPERM on unlink ok/,
    /\[init -> test-libc_vfs\] all \d+ checks passed/,
  ],
  fail: ERROR_LINE,
  timeout: '60s',
});
