/*
 * fb_drv: a driver for the Bochs/QEMU standard VGA. It finds the adapter through its
 * Platform session (by its PCI identity 1234:1111), maps the framebuffer BAR through the
 * IO_MEM session the platform driver hands out, sets the configured mode through the VBE
 * dispi ports (its own IO_PORT session), and serves one Framebuffer session at a time:
 *   <config width="1024" height="768" buffered="no"/>
 * As `vesa_drv` (vesa_drv.ts) it reaches the platform driver through the seed's "PCI" service.
 */
import { BadArgument, ServiceDenied } from '../../../../base/src/errors.js';
import { AttachedRomDataspace } from '../../../../base/src/lib/attached_dataspace.js';
import { Connection } from '../../../../base/src/lib/connection.js';
import type { Env } from '../../../../base/src/lib/env.js';
import { RootComponent, type SessionContext } from '../../../../base/src/lib/root_component.js';
import { IoPortSession } from '../../../../base/src/session/io_port/session.js';
import { XmlNode } from '../../../../base/src/util/xml_node.js';
import { describeError, openLog } from '../../lib/log.js';
import { SessionDataspace } from '../../lib/session_dataspace.js';
import { BYTES_PER_PIXEL, FramebufferSession, PIXEL_FORMAT_XRGB8888, type FramebufferMode } from '../../session/framebuffer/session.js';
import { PlatformConnection, type AttachedIoMem } from '../../session/platform/connection.js';
import { BochsVbe, VBE_PORT_BASE, VBE_PORT_COUNT } from './bochs_vbe.js';
import { FramebufferSessionComponent } from './session_component.js';

const BOCHS_VGA = { vendor: 0x1234, device: 0x1111 };

interface FbConfig { width: number; height: number; buffered: boolean }

/* Nodes inside the config are not fb_drv's (e.g. init's, for a driver without a <config> of its own): ignored. */
export function readConfig(text: string, source = 'config of fb_drv'): FbConfig {
  const c = XmlNode.parse(text, source);
  const width = c.numberAttr('width', 1024);
  const height = c.numberAttr('height', 768);
  if (width < 1 || height < 1) throw c.error(`mode ${width}x${height} is empty`);
  return { width, height, buffered: c.boolAttr('buffered') };
}

class FramebufferRoot extends RootComponent<FramebufferSession> {
  private current: { label: string } | undefined;

  constructor(env: Env, private readonly fbMode: FramebufferMode, private readonly lfb: AttachedIoMem, private readonly pitch: number, private readonly buffered: boolean) {
    super(env, FramebufferSession, FramebufferSession.service);
  }

  protected async createSession(ctx: SessionContext): Promise<FramebufferSession> {
    if (this.current) throw new ServiceDenied(`the framebuffer is in use by "${this.current.label}"`);
    const bytes = this.fbMode.width * this.fbMode.height * BYTES_PER_PIXEL;
    const back = this.buffered ? await SessionDataspace.create(this.env, ctx.quota, bytes) : undefined;
    this.current = { label: ctx.label };
    return new FramebufferSessionComponent(this.fbMode, this.lfb.bytes, this.pitch, this.lfb.ds, back, (cap) => this.env.ep.release(cap));
  }

  protected override async destroySession(session: FramebufferSession): Promise<void> {
    this.current = undefined;
    const s = session as FramebufferSessionComponent;
    if (s.modeSighCap) s.release(s.modeSighCap);
    await s.backBuffer?.destroy();
  }
}

/** fb_drv under a name, opening its Platform session at `platformService` (the session's own name if not given). */
export async function serveFramebuffer(env: Env, opts: { name: string; platformService?: string }): Promise<void> {
  const log = await openLog(env);
  const fail = async (what: string, e: unknown) => {
    await log(`Error: ${what}: ${describeError(e)}`);
    await env.exit(1);
  };
  let config: FbConfig;
  try {
    config = readConfig((await AttachedRomDataspace.open(env, 'config')).text(), `config of ${opts.name}`);
  } catch (e) {
    return fail('bad config', e);
  }

  let vbe: BochsVbe;
  let platform: PlatformConnection;
  try {
    vbe = new BochsVbe((await Connection.open(env, IoPortSession, { label: 'VBE', args: { io_port_base: VBE_PORT_BASE, io_port_size: VBE_PORT_COUNT } })).session);
    platform = await PlatformConnection.open(env, { service: opts.platformService });
  } catch (e) {
    return fail('no access to the VGA', e);
  }

  const vga = (await platform.devices()).find((d) => d.vendor === BOCHS_VGA.vendor && d.device === BOCHS_VGA.device);
  if (!vga) return fail('no Bochs/QEMU standard VGA among the devices of the platform session', new BadArgument('no 1234:1111 device'));
  try {
    const limits = await vbe.probe();
    const { width, height } = config;
    const bytes = width * height * BYTES_PER_PIXEL;
    if (width > limits.maxWidth || height > limits.maxHeight || limits.maxBpp < 32) {
      throw new BadArgument(`mode ${width}x${height}x32 exceeds the adapter's ${limits.maxWidth}x${limits.maxHeight}x${limits.maxBpp}`);
    }
    if (bytes > limits.videoMemory) throw new BadArgument(`mode ${width}x${height}x32 needs ${bytes} bytes, the adapter has ${limits.videoMemory}`);
    const device = await platform.acquire(vga.name);
    const pitch = await vbe.setMode(width, height, 32);
    const lfb = await platform.attachIoMem(device, 0, pitch * height);
    const mode = { width, height, format: PIXEL_FORMAT_XRGB8888 };
    await log(`${vga.name}: VBE 0x${limits.version.toString(16)}, ${limits.videoMemory >> 20} MiB, mode ${width}x${height}x32${config.buffered ? ', buffered' : ''}`);
    await new FramebufferRoot(env, mode, lfb, pitch, config.buffered).announce();
  } catch (e) {
    return fail('cannot set up the framebuffer', e);
  }
}

export function construct(env: Env): Promise<void> {
  return serveFramebuffer(env, { name: 'fb_drv' });
}
