/*
 * ahci_drv (Genode's repos/os/src/driver/ahci): the AHCI host bus adapter through the
 * Platform session (the device by its PCI class, the ABAR as register-decoded IO_MEM,
 * DMA buffers, the IRQ session), a Block session per drive by session policy:
 *
 *   <config command_timeout_ms="5000">
 *     <policy label_prefix="test-ahci -> disk" device="0" writeable="yes"/>
 *     <policy label_prefix="test-ahci -> cd" model="genode-ts AHCI CD" serial="..."/>
 *   </config>
 *
 * `device` is the port number; `model` and `serial` together select a drive by its
 * IDENTIFY strings instead (as Genode's driver does). Sessions are read-only unless the
 * policy says writeable="yes" and the drive is writeable (ATAPI never is).
 *
 * A command the drive does not complete within `command_timeout_ms` (5 s by default, by the
 * Timer session) fails with a log line; its port is reset and the other commands are issued
 * again. The watchdog's periodic timeout runs only while commands are in flight.
 */
import { AttachedRomDataspace } from '../../../../base/src/lib/attached_dataspace.js';
import type { Env } from '../../../../base/src/lib/env.js';
import type { SessionContext } from '../../../../base/src/lib/root_component.js';
import { ServiceDenied } from '../../../../base/src/errors.js';
import { IrqSession } from '../../../../base/src/session/irq/session.js';
import type { Mmio } from '../../../../base/src/util/mmio.js';
import { XmlNode } from '../../../../base/src/util/xml_node.js';
import { describeError, openLog } from '../../lib/log.js';
import { BlockRoot, type BlockDevice } from '../../session/block/root.js';
import { PlatformConnection } from '../../session/platform/connection.js';
import { MAX_SLOTS, Port, SLOT_DATA, TIMEOUT_TICKS, type PortEnv } from './port.js';
import { TimerConnection } from '../../session/timer/connection.js';
import * as R from './regs.js';
import { SessionPolicies } from '../../lib/session_policy.js';

const hex = (v: number) => `0x${(v >>> 0).toString(16)}`;

export async function construct(env: Env): Promise<void> {
  const log = await openLog(env);
  let policies: SessionPolicies<XmlNode>;
  let timeoutMs: number;
  try {
    const config = XmlNode.parse((await AttachedRomDataspace.open(env, 'config')).text(), 'config of ahci_drv');
    policies = SessionPolicies.parse(config, (n) => n);
    timeoutMs = config.numberAttr('command_timeout_ms', 5000, 3_600_000);
    if (timeoutMs < 4) throw config.error(`command_timeout_ms="${timeoutMs}" is below 4 ms`);
  } catch (e) {
    await log(`Error: bad config: ${describeError(e)}`);
    return env.exit(1);
  }

  /* one lock for all register traffic: issuing and completion see consistent states */
  let chain: Promise<unknown> = Promise.resolve();
  const locked = <T>(fn: () => Promise<T>): Promise<T> => {
    const r = chain.then(fn);
    chain = r.catch(() => undefined);
    return r;
  };

  /* the command watchdog: a periodic tick while commands are in flight */
  const timer = await TimerConnection.open(env);
  const sleeper = await TimerConnection.open(env, { label: 'reset' });
  let watching = false;
  const ports: Port[] = [];
  timer.onTimeout(() => locked(async () => {
    for (const p of ports) {
      try {
        await p.tick();
      } catch (e) {
        await log(`Error: port ${p.index}: ${describeError(e)}`);
      }
    }
    if (watching && !ports.some((p) => p.active)) {
      watching = false;
      await timer.session.triggerPeriodic(0);
    }
  }));
  const portEnv: PortEnv = {
    lock: locked,
    log,
    sleep: (ms) => sleeper.msleep(ms),
    timeoutMs,
    busy: () => {
      if (watching) return;
      watching = true;
      void timer.session.triggerPeriodic(Math.round((timeoutMs * 1000) / TIMEOUT_TICKS));
    },
  };

  const platform = await PlatformConnection.open(env, { label: 'ahci' });
  const ahci = (await platform.devices()).find((d) => d.classCode >>> 8 === 0x0106);
  if (!ahci) {
    await log('Error: no AHCI controller (PCI class 01/06) in the devices report');
    return env.exit(1);
  }
  const abar = ahci.ioMem.find((m) => m.pciBar === 5) ?? ahci.ioMem[ahci.ioMem.length - 1];
  if (!abar || ahci.irqs.length === 0) {
    await log(`Error: the AHCI ${ahci.name} has no ${abar ? 'interrupt' : 'memory resource (ABAR)'}`);
    return env.exit(1);
  }
  const device = await platform.acquire(ahci.name);
  const { mmio } = await platform.attachMmio(device, abar.index);

  /* HBA reset and AHCI mode (Genode's Hba::init) */
  await mmio.writeBits(R.GHC_HR, 1);
  let polls = 0;
  while ((await mmio.readBits(R.GHC_HR)) !== 0 && polls < 1000) polls++;
  if (polls >= 1000) {
    await log('Error: HBA reset did not complete (GHC.HR stays set)');
    return env.exit(1);
  }
  await mmio.writeBits(R.GHC_AE, 1);
  const cap = await mmio.readReg(R.CAP);
  const pi = await mmio.readReg(R.PI);
  const vs = await mmio.readReg(R.VS);
  const slots = Math.min(((cap >>> 8) & 0x1f) + 1, MAX_SLOTS);
  const sncq = (cap >>> 30) & 1;
  await log(`AHCI ${ahci.name} ${hex(ahci.vendor)}:${hex(ahci.device)} version ${(vs >>> 16)}.${(vs >>> 8) & 0xff}${vs & 0xff ? `.${vs & 0xff}` : ''}, ${(cap & 0x1f) + 1} port(s), ${((cap >>> 8) & 0x1f) + 1} slot(s)${sncq ? ', NCQ' : ''}, ports implemented ${hex(pi)}`);

  /* the interrupt: every port's completions and errors */
  const irq = env.rpc(IrqSession, await device.irq(0));
  const handler = await env.signalHandler(() => locked(async () => {
    try {
      const is = await mmio.readReg(R.IS);
      for (const p of ports) {
        if (!(is & (1 << p.index))) continue;
        try {
          await p.interrupt();
        } catch (e) {
          await log(`Error: port ${p.index}: ${describeError(e)}`);
        }
      }
      await mmio.writeReg(R.IS, is);
    } finally {
      await irq.ack();
    }
  }));
  await irq.sigh(handler.cap);
  await mmio.writeBits(R.GHC_IE, 1);

  /* the ports with a drive */
  for (let i = 0; i < 32; i++) {
    if (!(pi & (1 << i))) continue;
    const regs: Mmio = mmio.sub(R.PORT_BASE + i * R.PORT_SIZE, R.PORT_SIZE);
    const det = await regs.readBits(R.PXSSTS_DET);
    const sig = await regs.readReg(R.PXSIG);
    if (det !== 3) continue;
    if (sig !== R.SIG_ATA && sig !== R.SIG_ATAPI) {
      await log(`port ${i}: off (unknown device signature ${hex(sig)})`);
      continue;
    }
    const atapi = sig === R.SIG_ATAPI;
    let port: Port | undefined;
    try {
      const tables = await platform.allocDmaBuffer(Port.tablesSize());
      const data = await platform.allocDmaBuffer(slots * SLOT_DATA);
      port = new Port(i, regs, tables, data, sncq ? slots : 1, portEnv);
      ports.push(port);
      await locked(() => port!.init(atapi));
      await port.identify();
      const info = port.info;
      await log(`port ${i}: ${atapi ? 'ATAPI' : 'ATA'} "${port.identity.model}" serial "${port.identity.serial}": ${info.blockCount} blocks of ${info.blockSize} bytes${port.ncq ? `, NCQ depth ${port.depth}` : ''}${port.trimSupported ? ', TRIM' : ''}`);
    } catch (e) {
      await log(`Error: port ${i}: ${describeError(e)}; port off`);
      if (port) {
        ports.splice(ports.indexOf(port), 1);
        await locked(() => port!.shutdown()).catch(() => undefined);
      }
    }
  }

  /* the Block sessions, by policy */
  const ready = ports.filter((p) => p.info !== undefined); // eslint-disable-line @typescript-eslint/no-unnecessary-condition
  const select = (ctx: SessionContext): BlockDevice => {
    const policy = policies.select(ctx.label);
    if (!policy) throw new ServiceDenied(`no policy for "${ctx.label}"`);
    let port: Port | undefined;
    const model = policy.attr('model', '');
    const serial = policy.attr('serial', '');
    if (model !== '' && serial !== '') {
      port = ready.find((p) => p.identity.model === model && p.identity.serial === serial);
      if (!port) {
        void log(`Warning: no device with model ${model} and serial ${serial} found for "${ctx.label}"`);
        throw new ServiceDenied(`no device with model "${model}" and serial "${serial}"`);
      }
    } else {
      const n = policy.hasAttr('device') ? policy.numberAttr('device', -1, 31) : -1;
      port = ready.find((p) => p.index === n);
      if (!port) {
        void log(`Warning: no device found on port ${n} for "${ctx.label}"`);
        throw new ServiceDenied(`no device on port ${n}`);
      }
    }
    const p = port;
    const writeable = policy.boolAttr('writeable', false) && p.info.writeable;
    void log(`"${ctx.label}": port ${p.index}, ${writeable ? 'writeable' : 'read-only'}`);
    return {
      info: { ...p.info, writeable },
      read: (n, c, dst) => p.read(n, c, dst).catch(async (e) => { await log(`Error: "${ctx.label}": read of ${c} block(s) at ${n} failed: ${describeError(e)}`); throw e; }),
      write: (n, c, src) => p.write(n, c, src).catch(async (e) => { await log(`Error: "${ctx.label}": write of ${c} block(s) at ${n} failed: ${describeError(e)}`); throw e; }),
      sync: () => p.sync().catch(async (e) => { await log(`Error: "${ctx.label}": sync failed: ${describeError(e)}`); throw e; }),
      trim: (n, c) => p.trim(n, c).catch(async (e) => { await log(`Error: "${ctx.label}": trim of ${c} block(s) at ${n} failed: ${describeError(e)}`); throw e; }),
    };
  };
  await new BlockRoot(env, select, log).announce();
  await log(`${ready.length} drive(s) ready`);
}
