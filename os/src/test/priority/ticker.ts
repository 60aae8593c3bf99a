/*
 * test-priority_ticker: a periodic timeout every `period_us`; at each signal the ticker
 * reads the timer and records how late it woke against the period's deadline. After
 * `count` ticks it reports the worst and the mean lateness. With a higher priority than a
 * component that computes, its lateness stays small: the kernel preempts the computation.
 *
 *   <config period_us="10000" count="40" name="high" max_worst_us="5000"/>
 *
 * With max_worst_us, a worse lateness is an error.
 */
import type { Env } from '../../../../base/src/lib/env.js';
import { AttachedRomDataspace } from '../../../../base/src/lib/attached_dataspace.js';
import { XmlNode } from '../../../../base/src/util/xml_node.js';
import { openLog } from '../../lib/log.js';
import { TimerConnection } from '../../session/timer/connection.js';

export async function construct(env: Env): Promise<void> {
  const config = XmlNode.parse((await AttachedRomDataspace.open(env, 'config')).text(), 'config of test-priority_ticker');
  const period = config.numberAttr('period_us');
  const count = config.numberAttr('count');
  const name = config.attr('name', 'ticker');
  const bound = config.hasAttr('max_worst_us') ? config.numberAttr('max_worst_us') : undefined;
  if (period < 1000 || count <= 0) throw config.error('period_us must be at least 1000 and count positive');
  const log = await openLog(env);
  const timer = await TimerConnection.open(env, { label: name });
  const late: number[] = [];
  let start = 0;
  let done!: () => void;
  const finished = new Promise<void>((r) => (done = r));
  let ticks = 0;
  timer.onTimeout(async (n) => {
    /* n periods ended since the last signal (coalesced while the ticker waited) */
    ticks += n;
    const deadline = start + ticks * period;
    const now = await timer.elapsedUs();
    late.push(Math.max(0, now - deadline));
    if (late.length === count) done();
  });
  start = await timer.elapsedUs();
  await timer.session.triggerPeriodic(period);
  await finished;
  await timer.session.triggerPeriodic(0);
  const worst = Math.max(...late);
  const mean = Math.round(late.reduce((s, v) => s + v, 0) / late.length);
  const verdict = bound === undefined ? '' : worst <= bound ? ` (within ${bound} us)` : ` -- Error: more than ${bound} us`;
  await log(`${name}: ${count} ticks of ${period} us, lateness worst ${worst} us, mean ${mean} us${verdict}`);
  await env.exit(bound !== undefined && worst > bound ? 1 : 0);
}
