import { ERROR_LINE, scenario, parentProvides, timerDriver } from '../../base/src/scenario.js';

/*
 * The vfs server against a hostile File_system client (forged handles, bad names, root
 * escapes, a handle flood, forged and invalid packets, a second watch packet, a garbage
 * queue index, a queue flood) while an honest client with another root works alongside.
 * The server refuses each attack with a log line and keeps serving both.
 */
const client = (name: string, binary: string, config = '') => `
  <start name="${name}" caps="100">
    <binary name="${binary}"/>
    <resource name="RAM" quantum="2M"/>${config}
    <route>
      <service name="File_system"><child name="vfs"/></service>
      <service name="Timer"><child name="timer"/></service>
      <any-service><parent/></any-service>
    </route>
  </start>`;

export default scenario({
  description: 'vfs server against a hostile File_system client: forged handles, bad names, root escapes, handle and queue floods, forged and invalid packets are refused with log lines; an honest client is served meanwhile',
  modules: ['timer', 'vfs', 'test-file_system', 'test-file_system_hostile'],
  config: `<config>
  ${parentProvides(['IO_PORT', 'IRQ'])}${timerDriver()}
  <start name="vfs" caps="200">
    <resource name="RAM" quantum="8M"/>
    <provides><service name="File_system"/></provides>
    <config>
      <vfs>
        <dir name="hostile"><ram/></dir>
        <dir name="honest"><ram/></dir>
      </vfs>
      <policy label_prefix="hostile" root="/hostile" writeable="yes"/>
      <policy label="honest" root="/honest" writeable="yes"/>
    </config>
    <route><any-service><parent/></any-service></route>
  </start>${client('hostile', 'test-file_system_hostile')}${client('honest', 'test-file_system', '\n    <config role="owner"/>')}
</config>`,
  succeed: [
    /\[init -> hostile\] 8 MiB stream buffer with a 32768-byte donation: InsufficientRamQuota/,
    /\[init -> hostile\] 8 forged or mistyped handles: InvalidHandle/,
    /\[init -> hostile\] 8 bad names refused \(InvalidName; a name over 100 bytes does not leave this client: MessageOverflow\)/,
    /\[init -> hostile\] a name of 120 bytes sent anyway: refused by the server as a malformed message \(IpcError\)/,
    /\[init -> hostile\] 6 root escapes and bad paths refused/,
    /\[init -> hostile\] truncate to -1, to 2\^50, of a read-only handle: InvalidName, OutOfRam, PermissionDenied/,
    /\[init -> hostile\] handle flood: \d+ more handles, then OutOfRam; all closed again/,
    /\[init -> hostile\] 7 forged descriptors dropped, none acknowledged; the marker behind them came back/,
    /\[init -> hostile\] 13 invalid packets acknowledged with success=false/,
    /\[init -> hostile\] second CONTENT_CHANGED packet of a watch refused/,
    /\[init -> hostile\] garbage submit-queue head: nothing served meanwhile, served again once repaired/,
    /\[init -> hostile\] flood of 63 packets and 1000 signals: all 63 acknowledged/,
    /\[init -> hostile\] after all attacks the server still serves this session/,
    /\[init -> vfs\] Warning: "hostile": refused status\(4242\): InvalidHandle: handle 4242 is not open/,
    /\[init -> vfs\] Warning: "hostile": refused dir\("\/\.\."\): InvalidName/,
    /\[init -> vfs\] Warning: "hostile": refused packet \(dropped\): offset \d+ lies past the bulk buffer/,
    /\[init -> vfs\] Warning: "hostile": refused READ packet \(handle 4242, tag \d+\): InvalidHandle/,
    /\[init -> vfs\] Warning: "hostile": stream stalled: submit-queue head 2147483632 is outside the queue of 64 slots/,
    /\[init -> honest\] owner checks done/,
  ],
  fail: ERROR_LINE,
  timeout: '60s',
});
