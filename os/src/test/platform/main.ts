/*
 * test-platform: what Platform sessions hand out, under the policies of the scenario:
 *   "all"      may use the host bridge, the ISA bridge and the VGA;
 *   "vga-only" may use the VGA alone;  "nobody" has no policy.
 * It lists the devices each session sees, maps the VGA's framebuffer BAR through the
 * IO_MEM session the device hands out, and checks that devices are exclusive and that
 * a session cannot reach beyond its policy, and that core gives no one else the
 * configuration ports the platform driver holds.
 */
import { BadArgument } from '../../../../base/src/errors.js';
import { Connection } from '../../../../base/src/lib/connection.js';
import type { Env } from '../../../../base/src/lib/env.js';
import { IoPortSession } from '../../../../base/src/session/io_port/session.js';
import { openLog } from '../../lib/log.js';
import { Checks } from './checks.js';
import { PlatformConnection } from '../../session/platform/connection.js';
import type { DeviceDescription } from '../../session/platform/devices.js';

const hex = (v: number) => `0x${v.toString(16)}`;
const id = (d: DeviceDescription) => `${d.vendor.toString(16).padStart(4, '0')}:${d.device.toString(16).padStart(4, '0')}`;

export async function construct(env: Env): Promise<void> {
  const log = await openLog(env);
  const checks = new Checks(log);
  const { check, denied } = checks;

  const all = await PlatformConnection.open(env, { label: 'all' });
  const devices = await all.devices();
  for (const d of devices) {
    const mem = d.ioMem.map((m) => ` io_mem ${hex(m.base)} size ${hex(m.size)}`).join('');
    await log(`device ${d.name} ${id(d)} class ${hex(d.classCode)}${mem}`);
  }
  const vga = devices.find((d) => d.vendor === 0x1234 && d.device === 0x1111);
  await check('three devices, the VGA among them', devices.length === 3 && vga !== undefined);
  if (!vga) throw new Error('no VGA in the devices report');

  const only = await PlatformConnection.open(env, { label: 'vga-only' });
  const onlyDevices = await only.devices();
  await check(`"vga-only" sees ${onlyDevices.map((d) => d.name).join(', ')}`, onlyDevices.length === 1 && onlyDevices[0]!.name === vga.name);
  await denied('"vga-only" acquiring the host bridge', () => only.acquire('00:00.0'));

  /* the VGA through "all": its identity and its framebuffer BAR */
  const dev = await all.acquire(vga.name);
  const info = await dev.info();
  await check(`acquired ${info.name}: ${hex(info.vendor)}:${hex(info.device)}, ${info.ioMemCount} memory resource(s)`,
    info.vendor === 0x1234 && info.device === 0x1111 && info.ioMemCount === 1);
  const fb = await all.attachIoMem(dev, 0, 4096);
  fb.bytes[0] = 0x5a;
  fb.bytes[4095] = 0xa5;
  await check('framebuffer BAR mapped and writable', fb.bytes[0] === 0x5a && fb.bytes[4095] === 0xa5);
  await denied('a second holder of the VGA', () => only.acquire(vga.name));
  await denied('interrupt of a device without one', () => dev.irq(0), BadArgument);
  await fb.detach();
  await all.session.releaseDevice(dev.cap);
  const again = await only.acquire();
  await check('after release, "vga-only" acquires the VGA', (await again.info()).name === vga.name);

  await denied('a session without policy', () => PlatformConnection.open(env, { label: 'nobody', retries: 0 }));

  /* core hands the configuration ports to one holder, the platform driver, which is up by now */
  await denied('the PCI configuration ports for a second holder',
    () => Connection.open(env, IoPortSession, { label: 'pci', args: { io_port_base: 0xcf8, io_port_size: 8 }, retries: 0 }));

  await only.close();
  await all.close();
  await log(checks.failures === 0 ? '--- platform test finished ---' : `Error: ${checks.failures} platform checks failed`);
  await env.exit(checks.failures === 0 ? 0 : 1);
}
