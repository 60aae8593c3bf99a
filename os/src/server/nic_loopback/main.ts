/*
 * nic_loopback (Genode's server/nic_loopback): every frame a client sends comes back to
 * the same client. Back-pressure instead of drops: a frame is acknowledged only once the
 * client's rx stream had room for its copy. Each session gets the MAC 02:02:02:02:02:<n>.
 */
import type { Env } from '../../../../base/src/lib/env.js';
import { openLog } from '../../lib/log.js';
import { macText } from '../../session/nic/packet.js';
import { NicRoot } from '../../session/nic/root.js';

export async function construct(env: Env): Promise<void> {
  const log = await openLog(env);
  let next = 0;
  const root = new NicRoot(env, log, (ctx, session) => {
    const mac = Uint8Array.of(2, 2, 2, 2, 2, next++ & 0xff);
    void log(`session "${ctx.label}": MAC ${macText(mac)}`);
    return {
      mac,
      transmit: async (frame) => {
        await session.deliverWait(frame);
      },
    };
  });
  await root.announce();
  await log('nic_loopback ready');
}
