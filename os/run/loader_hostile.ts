import { ERROR_LINE, scenario, parentProvides } from '../../base/src/scenario.js';

/*
 * A hostile Loader client: bogus module names, sizes past the donation, negative and huge
 * quotas, missing, forbidden and data "binaries", a faulting subsystem, a greedy one whose
 * resource request the loader does not grant, one whose config ROM is denied, a label no
 * policy matches. Each is refused with an error naming what was wrong; the loader then
 * still serves a well-behaved session, every byte and cap the client donated comes back,
 * and the loader's own account is as before.
 */
export default scenario({
  description: 'loader against a hostile client: bad names, sizes, quotas and binaries refused; faulting subsystems reported; the loader keeps serving',
  modules: ['loader', 'test-exit', 'test-resource_request', 'test-loader'],
  config: `<config>
  ${parentProvides()}
  <start name="loader" caps="100">
    <resource name="RAM" quantum="1M"/>
    <provides><service name="Loader"/></provides>
    <config verbose="yes">
      <policy label_prefix="hostile -> s"> <parent-rom name="test-exit"/> <parent-rom name="test-resource_request"/> <parent-rom name="no-such-binary"/> </policy>
    </config>
    <route><any-service><parent/></any-service></route>
  </start>
  <start name="hostile" caps="600">
    <binary name="test-loader"/>
    <resource name="RAM" quantum="8M"/>
    <config action="hostile"/>
    <route>
      <service name="Loader"><child name="loader"/></service>
      <any-service><parent/></any-service>
    </route>
  </start>
</config>`,
  succeed: [
    /\[init -> hostile\] a label no policy matches: refused: ServiceDenied: Loader session "hostile -> x": no policy of the loader matches its label/,
    /\[init -> hostile\] empty module name: refused: BadArgument: .*empty ROM module name/,
    /\[init -> hostile\] module name with a label separator: refused: BadArgument/,
    /\[init -> hostile\] module name with a control character: refused: BadArgument/,
    /\[init -> hostile\] module size 0: refused: BadArgument/,
    /\[init -> hostile\] module size -1: refused: BadArgument/,
    /\[init -> hostile\] module size 2 GiB: refused: BadArgument/,
    /\[init -> hostile\] module beyond the donation \(2 MiB\): refused: OutOfRam/,
    /\[init -> hostile\] a 33rd module: refused: BadArgument: .*has 32 modules already/,
    /\[init -> hostile\] commit of a module never allocated: refused: RomModuleDoesNotExist/,
    /\[init -> hostile\] commit of a module committed already: refused: RomModuleDoesNotExist: .*no new version was allocated since its last commit/,
    /\[init -> hostile\] ram_quota -5: refused: BadArgument/,
    /\[init -> hostile\] ram_quota 1 GiB: refused: InsufficientRamQuota/,
    /\[init -> hostile\] cap_quota 0: refused: BadArgument/,
    /\[init -> hostile\] cap_quota 100000: refused: InsufficientCapQuota/,
    /\[init -> hostile\] constrain_geometry 0x5: refused: BadArgument/,
    /\[init -> hostile\] constrain_geometry 100000x5: refused: BadArgument/,
    /\[init -> hostile\] view_size before a view exists: refused: ViewDoesNotExist/,
    /\[init -> hostile\] view_geometry before a view exists: refused: ViewDoesNotExist/,
    /\[init -> hostile\] start of a missing binary: refused: ServiceDenied: .*start "no-such-binary": /,
    /\[init -> hostile\] start of a committed data module as binary: refused: RomModuleDoesNotExist: .*are data, not binaries/,
    /\[init -> hostile\] start of a binary the policy does not allow: refused: RomModuleDoesNotExist: .*start "loader": the binary is no <parent-rom> of the loader's policy/,
    /\[init -> hostile\] start with a label separator in the label: refused: BadArgument/,
    /\[init -> hostile\] hostile session closed: all quota came back/,
    /\[init -> loader -> hostile -> s2 -> thrower\] Error: uncaught RangeError: test-exit was told to throw/,
    /\[init -> loader\] subsystem "hostile -> s2 -> thrower" exited with exit value -1/,
    /\[init -> hostile\] the faulting subsystem was reported \(fault_sigh\)/,
    /\[init -> hostile\] a second start: refused: BadArgument: .*started already/,
    /\[init -> loader\] subsystem "hostile -> s3 -> unconfigured" exited with exit value -1/,
    /\[init -> hostile\] the subsystem without a config was reported \(fault_sigh\)/,
    /\[init -> loader -> hostile -> s5 -> greedy\] allocated \d+ chunks of 262144 bytes, then out of RAM/,
    /\[init -> loader\] subsystem "hostile -> s5 -> greedy" requests ram_quota=2097152, cap_quota=0: denied/,
    /\[init -> hostile\] the greedy subsystem ended \(fault_sigh\)/,
    /\[init -> loader -> hostile -> s4 -> afterwards\] exiting with value 0/,
    /\[init -> hostile\] all hostile sessions closed: all quota came back/,
    /\[init -> loader\] all sessions closed: the loader uses what it used before the first/,
    /\[init -> hostile\] --- loader_hostile test done ---/,
  ],
  /* the two faulting subsystems log errors of their own; nothing else may */
  fail: new RegExp(`\\[init -> (hostile|loader)\\] Error: |\\[init\\] Error: |Warning: .*cannot return`),
  timeout: '60s',
});
