import { ERROR_LINE, scenario, parentProvides, timerDriver } from '../../base/src/scenario.js';

/*
 * The vfs server with <ram/> file systems exported as File_system sessions by policy: two
 * owners with separate roots (each sees only its own files, escapes refused), a read-only
 * session whose writes are refused and whose watch fires when a writer with the same root
 * changes the file, and a client with a small donation that stores until refused cleanly
 * and works on after deleting.
 */
const client = (name: string, config: string, ram = '2M') => `
  <start name="${name}" caps="100">
    <binary name="test-file_system"/>
    <resource name="RAM" quantum="${ram}"/>
    ${config.startsWith('<') ? config : `<config ${config}/>`}
    <route>
      <service name="File_system"><child name="vfs"/></service>
      <service name="Timer"><child name="timer"/></service>
      <any-service><parent/></any-service>
    </route>
  </start>`;

export default scenario({
  description: 'vfs server with ram: two clients with separate roots, a read-only policy refused on write, quota exhaustion refused cleanly, a watch fired by another client\'s write, the fs VFS plugin over a session',
  modules: ['timer', 'vfs', 'test-file_system'],
  config: `<config>
  ${parentProvides(['IO_PORT', 'IRQ'])}${timerDriver()}
  <start name="vfs" caps="200">
    <resource name="RAM" quantum="8M"/>
    <provides><service name="File_system"/></provides>
    <config>
      <vfs>
        <dir name="alice"><ram/></dir>
        <dir name="bob"><ram/></dir>
        <dir name="shared"><ram/></dir>
        <dir name="small"><ram/></dir>
        <dir name="plugin"><ram/></dir>
      </vfs>
      <policy label="alice" root="/alice" writeable="yes"/>
      <policy label="bob" root="/bob" writeable="yes"/>
      <policy label="writer" root="/shared" writeable="yes"/>
      <policy label="reader" root="/shared" writeable="no"/>
      <policy label="small" root="/small" writeable="yes"/>
      <policy label="plugin -> data" root="/plugin" writeable="yes"/>
    </config>
    <route><any-service><parent/></any-service></route>
  </start>${client('alice', 'role="owner"')}${client('bob', 'role="owner"')}${client('writer', 'role="writer" rounds="100"')}${client('reader', 'role="reader"')}${client('small', 'role="quota" storage="4096"')}${client('plugin', '<config role="plugin"><vfs><dir name="data"><fs label="data" buffer_size="65536"/></dir></vfs></config>')}
</config>`,
  succeed: [
    /\[init -> alice\] symlink, truncate, move ok; my root holds only: docs, moved.bin/,
    /\[init -> bob\] symlink, truncate, move ok; my root holds only: docs, moved.bin/,
    /\[init -> alice\] escape "\/\.\.\/x": InvalidName/,
    /\[init -> alice\] owner checks done/,
    /\[init -> bob\] owner checks done/,
    /\[init -> reader\] create in a read-only session: PermissionDenied/,
    /\[init -> reader\] open \/news for writing: PermissionDenied/,
    /\[init -> reader\] watch on \/news fired after another client's write/,
    /\[init -> writer\] 100 updates of \/news written/,
    /\[init -> small\] \d+ files of 1024 bytes stored, then refused: OutOfRam/,
    /\[init -> small\] after deleting two files another one fits and reads back/,
    /\[init -> small\] quota checks done/,
    /\[init -> plugin\] fs plugin: mkdir, write, read back, stat, rename, readdir, EXISTS, NOT_EMPTY, watch, unlink ok/,
    /\[init -> vfs\] Warning: "reader": refused file\(1, "mine", mode 3, create\): PermissionDenied/,
  ],
  fail: ERROR_LINE,
  timeout: '60s',
});
