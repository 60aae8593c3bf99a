import { ERROR_LINE, scenario, parentProvides, DEFAULT_ROUTE_TO_PARENT, initDrivenBy, type Scenario } from '../src/scenario.js';

/** What the conformance matrix runs (twice per emulated kernel); test/run/session_churn.test.ts runs 10^5. */
export const MATRIX_CYCLES = 2000;

/**
 * `cycles` open/close cycles at a server and as many at core, through an init whose
 * account is reported before and after (a nested, verbose init under the driver), after
 * `warmup` cycles of each.
 */
export function churnScenario(cycles: number, warmup = 1): Scenario {
  return scenario({
    description: `session churn: ${cycles} open/close cycles at a child server and at core lose no byte and no capability in client, server or init`,
    modules: ['test-init_driver', 'test-churn_server', 'test-churn_client'],
    config: `<config>
  ${parentProvides()}
  ${DEFAULT_ROUTE_TO_PARENT}
  <start name="driver" caps="100">
    <binary name="test-init_driver"/>
    <resource name="RAM" quantum="2M"/>
    <provides><service name="ROM"/><service name="LOG"/><service name="Init_driver"/></provides>
    <config>
      <config verbose="yes">
        ${parentProvides(['Init_driver'])}
        ${DEFAULT_ROUTE_TO_PARENT}
        <start name="server" caps="100">
          <binary name="test-churn_server"/>
          <resource name="RAM" quantum="2M"/>
          <provides><service name="Churn"/></provides>
        </start>
        <start name="client" caps="100">
          <binary name="test-churn_client"/>
          <resource name="RAM" quantum="2M"/>
          <config cycles="${cycles}" warmup="${warmup}"/>
        </start>
      </config>
    </config>
  </start>${initDrivenBy('churn-init')}
</config>`,
    succeed: [/\[init -> churn-init -> client\] session churn succeeded/],
    fail: ERROR_LINE,
    /* virtual time on the emulated kernels, real time on linux (a few ms per cycle) */
    timeout: `${60 + Math.ceil((cycles + warmup) / 100)}s`,
  });
}

export default churnScenario(MATRIX_CYCLES);

/** tool/run --param cycles=100000 [--param warmup=N] session_churn */
export function configure(params: Record<string, string>): Scenario {
  const count = (name: string, fallback: number) => {
    const v = params[name] ?? String(fallback);
    if (!/^\d+$/.test(v)) throw new Error(`session_churn: ${name}=${v} is not a count`);
    return Number(v);
  };
  for (const name of Object.keys(params)) if (name !== 'cycles' && name !== 'warmup') throw new Error(`session_churn has no parameter "${name}" (cycles, warmup)`);
  return churnScenario(count('cycles', MATRIX_CYCLES), count('warmup', 1));
}
