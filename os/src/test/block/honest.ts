/*
 * test-block_honest: an ordinary Block client beside the hostile one: writes blocks with a
 * pattern, reads them back with several requests in flight, and checks every byte.
 *   <config rounds="64" interval_ms="5"/>     (a pause between rounds, so the rounds span the attack)
 */
import { AttachedRomDataspace } from '../../../../base/src/lib/attached_dataspace.js';
import type { Env } from '../../../../base/src/lib/env.js';
import { XmlNode } from '../../../../base/src/util/xml_node.js';
import { describeError, openLog } from '../../lib/log.js';
import { BlockConnection } from '../../session/block/connection.js';
import { TimerConnection } from '../../session/timer/connection.js';

export async function construct(env: Env): Promise<void> {
  const log = await openLog(env);
  const config = XmlNode.parse((await AttachedRomDataspace.open(env, 'config')).text(), 'config');
  const rounds = config.numberAttr('rounds', 64);
  const interval = config.numberAttr('interval_ms', 0);
  const timer = interval > 0 ? await TimerConnection.open(env) : undefined;
  try {
    const block = await BlockConnection.open(env, { txBufSize: 128 * 1024 });
    const { blockSize, blockCount } = block.info;
    const per = 4;
    const fill = (round: number, i: number) => (round * 31 + i * 7 + (i >> 8)) & 0xff;
    let verified = 0;
    for (let round = 0; round < rounds; round++) {
      const first = (round * per * 3) % (blockCount - per);
      const data = new Uint8Array(per * blockSize).map((_, i) => fill(round, i));
      await Promise.all([block.write(first, data), block.write(first + per, data.map((v) => v ^ 0xff))]);
      const [x, y] = await Promise.all([block.read(first, per), block.read(first + per, per)]);
      for (let i = 0; i < data.length; i++) {
        if (x[i] !== data[i] || y[i] !== (data[i] ^ 0xff)) throw new Error(`round ${round}: byte ${i} differs`);
      }
      verified += 2 * data.length;
      if (timer) await timer.msleep(interval);
    }
    await log(`${rounds} rounds of writes and reads, ${verified} bytes verified`);
    await block.close();
    await env.exit(0);
  } catch (e) {
    await log(`Error: ${describeError(e)}`);
    await env.exit(1);
  }
}
