/*
 * audio_drv (Genode's bsd audio driver, there ported OpenBSD code): an Intel ICH AC'97
 * controller through the Platform session (the device by PCI class 04/01, its mixer and
 * bus-master port BARs as IO_PORT sessions, the buffer descriptor list and its buffers in a
 * DMA buffer, the IRQ session), served as Audio_out sessions for the channels "left" /
 * "front left" and "right" / "front right", one session each. It plays the clients' packets
 * as they come; when nobody has any, the card runs out and halts until the next one.
 *   <config/>
 */
import { ServiceDenied } from '../../../../base/src/errors.js';
import type { Env } from '../../../../base/src/lib/env.js';
import { RootComponent, type SessionContext } from '../../../../base/src/lib/root_component.js';
import { stringArg } from '../../../../base/src/session/args.js';
import { IoPortSession } from '../../../../base/src/session/io_port/session.js';
import { handleEdgeIrq } from '../edge_irq.js';
import { IrqSession } from '../../../../base/src/session/irq/session.js';
import type { SignalContext } from '../../../../base/src/session/signal/session.js';
import type { Capability } from '../../../../base/src/capability.js';
import { describeError, openLog, type Log } from '../../lib/log.js';
import { AudioOutSession, channelNumber } from '../../session/audio_out/session.js';
import { AudioOutSessionComponent } from '../../session/audio_out/session_component.js';
import { PlatformConnection } from '../../session/platform/connection.js';
import { Ac97Card } from './ac97.js';
import { AudioOut } from './out.js';

const hex = (v: number) => (v >>> 0).toString(16).padStart(4, '0');
const AC97 = { vendor: 0x8086, device: 0x2415 };

class AudioOutRoot extends RootComponent<AudioOutSession> {
  constructor(env: Env, private readonly out: AudioOut, private readonly dataAvail: Capability<SignalContext>, private readonly log: Log) {
    super(env, AudioOutSession, AudioOutSession.service);
  }

  protected async createSession(ctx: SessionContext): Promise<AudioOutSession> {
    const channel = stringArg(ctx.args, 'channel', 'left');
    const number = channelNumber(channel);
    if (number === undefined) throw new ServiceDenied(`Audio_out session "${ctx.label}": invalid output channel "${channel}" (left, front left, right, front right)`);
    const holder = this.out.channels[number];
    if (holder) throw new ServiceDenied(`Audio_out session "${ctx.label}": output channel "${channel}" is in use by "${holder.label}"`);
    const s = await AudioOutSessionComponent.create(this.env, ctx, channel, this.dataAvail);
    this.out.channels[number] = s;
    void this.log(`session "${ctx.label}" plays channel "${channel}"`);
    return s;
  }

  protected override async destroySession(session: AudioOutSession): Promise<void> {
    const s = session as AudioOutSessionComponent;
    const i = this.out.channels.indexOf(s);
    if (i >= 0) this.out.channels[i] = undefined;
    await s.destroy();
  }
}

export async function construct(env: Env): Promise<void> {
  const log = await openLog(env);
  const fail = async (what: string, e?: unknown) => {
    await log(`Error: ${what}${e === undefined ? '' : `: ${describeError(e)}`}`);
    await env.exit(1);
  };
  let platform: PlatformConnection;
  try {
    platform = await PlatformConnection.open(env, { label: 'audio' });
  } catch (e) {
    return fail('no platform session', e);
  }
  const dev = (await platform.devices()).find((d) => d.classCode >>> 8 === 0x0401);
  if (!dev) return fail('no audio controller (PCI class 04/01) in the devices report');
  if (dev.vendor !== AC97.vendor || dev.device !== AC97.device) return fail(`${dev.name} ${hex(dev.vendor)}:${hex(dev.device)} is no AC'97 controller this driver knows`);
  if (dev.ioPorts.length < 2 || dev.irqs.length === 0) return fail(`the card ${dev.name} lacks ${dev.irqs.length === 0 ? 'an interrupt' : 'its two port BARs'}`);

  const out = new AudioOut();
  let card: Ac97Card;
  let rate: number;
  try {
    const device = await platform.acquire(dev.name);
    const window = async (index: number) => {
      const r = await platform.connection.retryWithUpgrade(() => device.ioPort(index));
      return { io: env.rpc(IoPortSession, r.session), base: r.base };
    };
    const nam = await window(0);
    const nabm = await window(1);
    const dma = await platform.allocDmaBuffer(Ac97Card.dmaBytes());
    card = new Ac97Card(nam, nabm, dma, (into) => out.fill(into), () => out.pending());
    rate = await card.init();
    const irq = env.rpc(IrqSession, await device.irq(0));
    await handleEdgeIrq(env, irq, () => card.interrupt(), log);
    await card.start();
  } catch (e) {
    return fail(`${dev.name}`, e);
  }
  /* a client's packet after the queues ran empty: refill the list (resumes a halted card) */
  const dataAvail = await env.signalHandler(async () => { await card.interrupt(); });
  await log(`${dev.name} ${hex(dev.vendor)}:${hex(dev.device)} AC'97, ${rate} Hz, 16-bit stereo`);
  await new AudioOutRoot(env, out, dataAvail.cap, log).announce();
}
