/*
 * test-ahci_regs: the register path and DMA buffers end to end, as an AHCI driver takes
 * them. It gets the AHCI (PCI class 01/06/01) through its Platform session, attaches the
 * ABAR (BAR5, register-decoded IO_MEM) and reads CAP, PI, VS and port 0's SSTS and SIG
 * through Mmio, resets the HBA (GHC.HR self-clears), allocates a DMA buffer and issues one
 * IDENTIFY DEVICE to port 0 (command list, received FIS, command table and PRD in the
 * buffer), waits for the interrupt through the device's IRQ session, and checks the
 * model string and the sector count the disk sent. Bad register accesses are refused.
 */
import { BadArgument } from '../../../../base/src/errors.js';
import type { Env } from '../../../../base/src/lib/env.js';
import { IrqSession } from '../../../../base/src/session/irq/session.js';
import { bitfield, register } from '../../../../base/src/util/mmio.js';
import { describeError, openLog } from '../../lib/log.js';
import { PlatformConnection } from '../../session/platform/connection.js';

const hex = (v: number) => `0x${v.toString(16)}`;

/* generic host control */
const CAP = register(0x00, 4);
const CAP_NP = bitfield(CAP, 0, 5);
const CAP_NCS = bitfield(CAP, 8, 5);
const GHC = register(0x04, 4);
const GHC_HR = bitfield(GHC, 0, 1);
const GHC_IE = bitfield(GHC, 1, 1);
const GHC_AE = bitfield(GHC, 31, 1);
const IS = register(0x08, 4);
const PI = register(0x0c, 4);
const VS = register(0x10, 4);

/* port registers, relative to the port's 0x80 bytes at 0x100 + 0x80 * port */
const PXCLB = register(0x00, 4);
const PXCLBU = register(0x04, 4);
const PXFB = register(0x08, 4);
const PXFBU = register(0x0c, 4);
const PXIS = register(0x10, 4);
const PXIE = register(0x14, 4);
const PXCMD = register(0x18, 4);
const PXCMD_ST = bitfield(PXCMD, 0, 1);
const PXCMD_FRE = bitfield(PXCMD, 4, 1);
const PXCMD_CR = bitfield(PXCMD, 15, 1);
const PXTFD = register(0x20, 4);
const PXSIG = register(0x24, 4);
const PXSSTS = register(0x28, 4);
const PXSSTS_DET = bitfield(PXSSTS, 0, 4);
const PXSERR = register(0x30, 4);
const PXCI = register(0x38, 4);

const IS_DHRS = 1 << 0;
const IS_PSS = 1 << 1;
const IS_TFES = 1 << 30;

/* the DMA buffer's layout */
const CLB = 0x000; // command list, 32 headers of 32 bytes (1 KiB aligned)
const FB = 0x400; // received FIS (256 bytes aligned)
const CT = 0x800; // command table of slot 0 (128 bytes aligned): FIS at 0, PRDT at 0x80
const DATA = 0x1000; // IDENTIFY's 512 bytes
const BUFFER = 0x2000;

export async function construct(env: Env): Promise<void> {
  const log = await openLog(env);
  let failures = 0;
  const check = async (what: string, ok: boolean) => {
    if (!ok) failures++;
    await log(`${what}: ${ok ? 'ok' : 'Error: check failed'}`);
  };
  const refused = async (what: string, fn: () => Promise<unknown>) => {
    try {
      await fn();
      await check(`${what} refused`, false);
    } catch (e) {
      await check(`${what} refused (${describeError(e)})`, e instanceof BadArgument);
    }
  };

  const platform = await PlatformConnection.open(env, { label: 'ahci' });
  const ahci = (await platform.devices()).find((d) => d.classCode >>> 8 === 0x0106);
  if (!ahci) throw new Error('no AHCI controller in the devices report');
  const abar = ahci.ioMem.find((m) => m.pciBar === 5) ?? ahci.ioMem[ahci.ioMem.length - 1];
  if (!abar) throw new Error('the AHCI has no memory resource');
  await log(`AHCI ${ahci.name} ${hex(ahci.vendor)}:${hex(ahci.device)} ABAR ${hex(abar.base)}+${hex(abar.size)} IRQ ${ahci.irqs[0]?.number}`);
  const device = await platform.acquire(ahci.name);
  const { mmio } = await platform.attachMmio(device, abar.index);

  /* the HBA's identity */
  const cap = await mmio.readReg(CAP);
  const pi = await mmio.readReg(PI);
  const vs = await mmio.readReg(VS);
  await log(`CAP ${hex(cap)} (${(await mmio.readBits(CAP_NP)) + 1} ports, ${(await mmio.readBits(CAP_NCS)) + 1} slots) PI ${hex(pi)} VS ${hex(vs)}`);
  await check('AHCI 1.3.1 with six ports', vs === 0x10301 && pi === 0x3f && (cap & 0x1f) === 5);
  const port0 = mmio.sub(0x100, 0x80);
  const ssts = await port0.readReg(PXSSTS);
  const sig = await port0.readReg(PXSIG);
  await log(`port 0: SSTS ${hex(ssts)} SIG ${hex(sig)}`);
  await check('port 0 has an ATA disk with its link up', (ssts & 0xf) === 3 && sig === 0x101);
  await check('port 5 has no drive', (await mmio.read32(0x100 + 5 * 0x80 + 0x28)) === 0);

  /* bad accesses: the helper refuses them before any kernel sees them, the kernel too */
  await refused('a load beyond the ABAR', () => mmio.read32(abar.size));
  await refused('an unaligned load', () => mmio.read32(0x02));
  await refused('a load of 3 bytes', () => mmio.read(0, 3 as 4));
  await refused('a raw load of 8 bytes', () => env.runtime.mmioRead(0x1000, 8 as 4));

  /* HBA reset: GHC.HR self-clears, AHCI mode stays on */
  await mmio.writeBits(GHC_HR, 1);
  let polls = 0;
  while ((await mmio.readBits(GHC_HR)) !== 0 && polls < 1000) polls++;
  await check(`GHC.HR cleared itself after ${polls} poll(s), GHC.AE ${await mmio.readBits(GHC_AE)}`, polls < 1000 && (await mmio.readBits(GHC_AE)) === 1);
  await check('link of port 0 up again after the reset', (await port0.readBits(PXSSTS_DET)) === 3);

  /* the DMA buffer: command list, received FIS, command table, data */
  const dma = await platform.allocDmaBuffer(BUFFER);
  await log(`DMA buffer of ${dma.size} bytes at bus address ${hex(dma.dmaAddr)}`);
  await check('the DMA buffer has a bus address in RAM, page-aligned', dma.dmaAddr > 0 && dma.dmaAddr % 4096 === 0);
  await refused('a register load from the DMA buffer (RAM)', () => env.runtime.mmioRead(dma.addr, 4));
  await refused('a DMA buffer of 0 bytes', () => platform.session.allocDmaBuffer(0, 0));
  await refused('a DMA buffer with cache attribute 7', () => platform.session.allocDmaBuffer(4096, 7));
  const own = await env.pd.alloc(4096);
  await check('the session names no bus address for a dataspace that is not its DMA buffer', (await platform.session.dmaAddr(own)) === 0);
  await env.pd.free(own);
  const spare = await platform.allocDmaBuffer(4096);
  const spareAddr = await platform.session.dmaAddr(spare.ds);
  await spare.free();
  await check('a second buffer elsewhere, freed again', spareAddr === spare.dmaAddr && spareAddr !== dma.dmaAddr);
  const mem = new DataView(dma.bytes.buffer, dma.bytes.byteOffset, dma.bytes.byteLength);
  mem.setUint32(CLB + 0, 5 | (1 << 16), true); // CFL 5 dwords, PRDTL 1, a read
  mem.setUint32(CLB + 4, 0, true); // PRDBC
  mem.setUint32(CLB + 8, dma.dmaAddr + CT, true); // CTBA
  mem.setUint32(CLB + 12, 0, true);
  dma.bytes[CT + 0] = 0x27; // H2D register FIS
  dma.bytes[CT + 1] = 0x80; // C: a command
  dma.bytes[CT + 2] = 0xec; // IDENTIFY DEVICE
  mem.setUint32(CT + 0x80, dma.dmaAddr + DATA, true); // PRD: DBA
  mem.setUint32(CT + 0x84, 0, true);
  mem.setUint32(CT + 0x8c, (512 - 1) | (1 << 31), true); // DBC, I

  /* the interrupt: IRQ session of the device, a signal per occurrence */
  const irq = env.rpc(IrqSession, await device.irq(0));
  let wake: (() => void) | undefined;
  let interrupts = 0;
  const handler = await env.signalHandler(async () => {
    interrupts++;
    wake?.();
  });
  await irq.sigh(handler.cap);

  /* port 0: stopped after the reset; lists, errors cleared, interrupts on, then FRE and ST */
  await check('port 0 idle (ST and CR clear)', (await port0.readBits(PXCMD_ST)) === 0 && (await port0.readBits(PXCMD_CR)) === 0);
  await port0.writeReg(PXCLB, dma.dmaAddr + CLB);
  await port0.writeReg(PXCLBU, 0);
  await port0.writeReg(PXFB, dma.dmaAddr + FB);
  await port0.writeReg(PXFBU, 0);
  await port0.writeReg(PXSERR, 0xffffffff);
  await port0.writeReg(PXIS, 0xffffffff);
  await mmio.writeReg(IS, 0xffffffff);
  await port0.writeReg(PXIE, IS_DHRS | IS_PSS | IS_TFES);
  await mmio.writeBits(GHC_IE, 1);
  await port0.writeBits(PXCMD_FRE, 1);
  await port0.writeBits(PXCMD_ST, 1);
  await check(`port 0 started: CLB ${hex(await port0.readReg(PXCLB))}, TFD ${hex(await port0.readReg(PXTFD))}`, (await port0.readReg(PXCLB)) === dma.dmaAddr + CLB);

  const done = new Promise<void>((resolve) => { wake = resolve; });
  await port0.writeReg(PXCI, 1);
  await done;
  const pxis = await port0.readReg(PXIS);
  const is = await mmio.readReg(IS);
  const tfd = await port0.readReg(PXTFD);
  const ci = await port0.readReg(PXCI);
  const prdbc = mem.getUint32(CLB + 4, true);
  await log(`interrupt ${interrupts}: IS ${hex(is)} PxIS ${hex(pxis)} TFD ${hex(tfd)} CI ${hex(ci)} PRDBC ${prdbc}`);
  await check('IDENTIFY DEVICE completed without error', (is & 1) === 1 && (pxis & IS_DHRS) !== 0 && (tfd & 1) === 0 && ci === 0 && prdbc === 512);
  await port0.writeReg(PXIS, pxis);
  await mmio.writeReg(IS, is);
  await irq.ack();
  await check('the interrupt is quiet once acknowledged', (await mmio.readReg(IS)) === 0);

  /* what the disk sent: the model string (words 27-46, bytes swapped) and the sector count */
  const word = (i: number) => mem.getUint16(DATA + 2 * i, true);
  let model = '';
  for (let i = 27; i <= 46; i++) model += String.fromCharCode(word(i) >> 8, word(i) & 0xff);
  model = model.trim();
  const sectors = word(100) + word(101) * 0x10000 + word(102) * 0x1_0000_0000;
  await log(`IDENTIFY: model "${model}", ${sectors} sectors of 512 bytes`);
  await check('the model string and the sector count of the scenario\'s disk', model === 'genode-ts AHCI disk' && sectors === 4096);
  await check('the received FIS area holds the PIO setup FIS', dma.bytes[FB + 0x20] === 0x5f);

  /* the port stopped again, the buffer back to the session */
  await port0.writeBits(PXCMD_ST, 0);
  await port0.writeBits(PXCMD_FRE, 0);
  await dma.free();
  await log(failures === 0 ? '--- AHCI register test finished ---' : `Error: ${failures} check(s) failed`);
  await env.exit(failures === 0 ? 0 : 1);
}
