/*
 * nic_drv (Genode's repos/pc/src/driver/nic/pc, there the ported Linux e1000 driver): an
 * Intel 8254x card through the Platform session (the device by its PCI class, BAR0 as
 * register-decoded IO_MEM, descriptor rings and buffers in DMA buffers, the IRQ session),
 * served as NIC sessions with the card's MAC address and link state.
 *
 * Every session sees every frame the card receives (Genode's driver serves a single client,
 * usually nic_bridge or nic_router; more than one client here share the card like a hub),
 * and every session's frames go out through the card's one transmit ring in turn. Frames a
 * client does not take in time are dropped for that client only, as the card drops frames
 * the host does not take.
 *   <config/>
 */
import type { Env } from '../../../../base/src/lib/env.js';
import { handleEdgeIrq } from '../edge_irq.js';
import { IrqSession } from '../../../../base/src/session/irq/session.js';
import { describeError, openLog } from '../../lib/log.js';
import { macText } from '../../session/nic/packet.js';
import { NicRoot, type NicSessionComponent } from '../../session/nic/root.js';
import { PlatformConnection } from '../../session/platform/connection.js';
import { BUF_SIZE, E1000Card, RING_SLOTS } from './e1000.js';

const hex = (v: number) => (v >>> 0).toString(16).padStart(4, '0');

export async function construct(env: Env): Promise<void> {
  const log = await openLog(env);
  const platform = await PlatformConnection.open(env, { label: 'nic' });
  const dev = (await platform.devices()).find((d) => d.classCode >>> 8 === 0x0200);
  if (!dev) {
    await log('Error: no Ethernet controller (PCI class 02/00) in the devices report');
    return env.exit(1);
  }
  if (dev.vendor !== 0x8086) {
    await log(`Error: ${dev.name} ${hex(dev.vendor)}:${hex(dev.device)} is no Intel card this driver knows`);
    return env.exit(1);
  }
  const bar0 = dev.ioMem.find((m) => m.pciBar === 0) ?? dev.ioMem[0];
  if (!bar0 || dev.irqs.length === 0) {
    await log(`Error: the card ${dev.name} has no ${bar0 ? 'interrupt' : 'memory resource (BAR0)'}`);
    return env.exit(1);
  }
  const sessions = new Set<NicSessionComponent>();
  let card: E1000Card;
  try {
    const device = await platform.acquire(dev.name);
    const { mmio } = await platform.attachMmio(device, bar0.index);
    const rings = await platform.allocDmaBuffer(E1000Card.ringBytes());
    const rxBufs = await platform.allocDmaBuffer(RING_SLOTS * BUF_SIZE);
    const txBufs = await platform.allocDmaBuffer(RING_SLOTS * BUF_SIZE);
    card = new E1000Card(mmio, rings, rxBufs, txBufs, {
      frame: (f) => { for (const s of sessions) s.deliver(f); },
      link: (up) => {
        void log(`link ${up ? 'up' : 'down'}`);
        for (const s of sessions) s.setLinkState(up);
      },
    });
    await card.init();
    const irq = env.rpc(IrqSession, await device.irq(0));
    await handleEdgeIrq(env, irq, () => card.interrupt(), log);
    /* causes raised before the handler was installed */
    await card.interrupt();
  } catch (e) {
    await log(`Error: ${dev.name}: ${describeError(e)}`);
    return env.exit(1);
  }
  await log(`${dev.name} ${hex(dev.vendor)}:${hex(dev.device)} MAC ${macText(card.mac)}, link ${(await card.linkUp()) ? 'up' : 'down'}`);

  const root = new NicRoot(env, log, async (ctx, session) => {
    session.setLinkState(await card.linkUp());
    sessions.add(session);
    void log(`session "${ctx.label}"`);
    return {
      mac: card.mac,
      transmit: (frame) => card.send(frame),
      closed: () => { sessions.delete(session); },
    };
  });
  await root.announce();
}
