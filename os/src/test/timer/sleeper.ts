/*
 * test-timer_sleeper: sleeps `count` times for `period_ms` and logs the timer's time after
 * each sleep, then checks the total against what it asked for:
 *   <config period_ms="1000" count="10"/>
 * The total never falls short of count x period; it may exceed it by the time the loop
 * itself takes, allowed up to LATENESS_MS per sleep (a busy host on a real-time kernel).
 */
import { AttachedRomDataspace } from '../../../../base/src/lib/attached_dataspace.js';
import type { Env } from '../../../../base/src/lib/env.js';
import { XmlNode } from '../../../../base/src/util/xml_node.js';
import { openLog } from '../../lib/log.js';
import { TimerConnection } from '../../session/timer/connection.js';

const LATENESS_MS = 100;

export async function construct(env: Env): Promise<void> {
  const log = await openLog(env);
  const config = XmlNode.parse((await AttachedRomDataspace.open(env, 'config')).text(), 'config of test-timer_sleeper');
  const period = config.numberAttr('period_ms');
  const count = config.numberAttr('count');
  if (period <= 0 || count <= 0) throw config.error('period_ms and count must be positive');

  const timer = await TimerConnection.open(env);
  const start = await timer.elapsedMs();
  let now = start;
  for (let i = 1; i <= count; i++) {
    await timer.msleep(period);
    now = await timer.elapsedMs();
    await log(`t=${now - start} ms after ${i} x ${period} ms`);
  }
  const total = now - start;
  const expected = count * period;
  const ok = total >= expected && total <= expected + count * LATENESS_MS;
  await log(`${count} x ${period} ms slept: timer says ${total} ms ${ok ? '(ok)' : `-- Error: expected ${expected} ms`}`);
  await env.exit(ok ? 0 : 1);
}
