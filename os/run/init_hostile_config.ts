import { scenario, parentProvides, DEFAULT_ROUTE_TO_PARENT } from '../../base/src/scenario.js';
import { hostileConfigs } from '../src/test/init/hostile_configs.js';

/* the config torture list: each config read by a nested init, which reports the problem with its position in one line */
const starts = hostileConfigs.map((c) => `
  <start name="${c.name}" caps="120">
    <binary name="init"/>
    <resource name="RAM" quantum="1M"/>
    <route>
      <service name="ROM" label="config"><parent label="${c.name}.config"/></service>
      <any-service><parent/></any-service>
    </route>
  </start>`).join('');

export default scenario({
  description: 'the config torture list: empty configs, unquoted attributes, names that forge labels or log lines, a 1 MiB name, bad and overflowing numbers, self-routes and routing cycles are refused with their position; nothing hangs or floods the log',
  modules: ['test-log'],
  roms: Object.fromEntries(hostileConfigs.map((c) => [`${c.name}.config`, c.config])),
  config: `<config>
  ${parentProvides()}
  ${DEFAULT_ROUTE_TO_PARENT}${starts}
  <start name="test-log"><resource name="RAM" quantum="1M"/></start>
</config>`,
  succeed: [
    ...hostileConfigs.map((c) => new RegExp(`^\\[init -> ${c.name}\\] ${c.stage === 'none' ? '' : 'Error: '}${c.expect.source}`)),
    /\[init\] child "test-log" exited with exit value 0/,
  ],
  /* init's own errors, a value echoed unclipped, a forged line */
  fail: /uncaught|\[init\] Error: |x{65}|^\[init\] forged/,
  /* 32 inits: on linux, 32 workers start, which takes long on a loaded machine */
  timeout: '120s',
});
