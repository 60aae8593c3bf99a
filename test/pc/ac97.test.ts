import test from 'ava';
import { Pc, AUDIO_IRQ, AUDIO_NABM_BASE, AUDIO_NAM_BASE, AUDIO_SLOT, type AudioSink } from '../../tool/pc/index.js';
import * as A from '../../tool/pc/ac97.js';

/* driver memory: the list at 8 MiB, buffers from 9 MiB */
const BDL = 0x800000;
const BUFS = 0x900000;
const NABM = AUDIO_NABM_BASE;
const NAM = AUDIO_NAM_BASE;

function cfg(pc: Pc, offset: number, value?: number): number {
  pc.outPort(0xcf8, 4, 0x80000000 | (AUDIO_SLOT << 11) | (offset & 0xfc));
  if (value !== undefined) pc.outPort(0xcfc, 4, value);
  return pc.inPort(0xcfc, 4);
}

interface Played { pcm: Int16Array; rate: number; tsc: number }

function machine(): { pc: Pc; card: A.Ac97; played: Played[] } {
  const pc = new Pc({ audio: true });
  const card = pc.audio!;
  const played: Played[] = [];
  const sink: AudioSink = { play: (pcm, rate, tsc) => played.push({ pcm: pcm.slice(), rate, tsc }) };
  pc.audioOut.add(sink);
  pc.memory.back(BDL, 0x1000);
  pc.memory.back(BUFS, 0x100000);
  cfg(pc, 4, 0x5); // I/O decoding, bus master
  return { pc, card, played };
}

/** Entry `i`: `frames` stereo frames at BUFS + i * 64 KiB, sample values frame*2+channel+i*1000. */
function entry(pc: Pc, i: number, frames: number, ioc = true): void {
  const addr = BUFS + i * 0x10000;
  pc.memory.write32(BDL + i * 8, addr);
  pc.memory.write32(BDL + i * 8 + 4, ((ioc ? A.BD_IOC : 0) << 16 | frames * 2) >>> 0);
  for (let f = 0; f < frames * 2; f++) pc.memory.write16(addr + f * 2, (i * 1000 + f) & 0xffff);
}

const rate = (pc: Pc) => pc.inPort(NAM + A.NAM_FRONT_DAC_RATE, 2);
const sr = (pc: Pc) => pc.inPort(NABM + A.PO + A.SR, 2);
const civ = (pc: Pc) => pc.inPort(NABM + A.PO + A.CIV, 1);
const cyclesFor = (pc: Pc, frames: number, hz: number) => Math.ceil((frames * pc.clock.tscHz) / hz);

function codecUp(pc: Pc, hz = 44100): void {
  pc.outPort(NABM + A.GLOB_CNT, 4, A.GLOB_CNT_COLD);
  pc.outPort(NAM + A.NAM_RESET, 2, 0);
  pc.outPort(NAM + A.NAM_EXT_AUDIO_CTRL, 2, A.EXT_VRA);
  pc.outPort(NAM + A.NAM_FRONT_DAC_RATE, 2, hz);
}

test('PCI identity, port BARs and interrupt line as the firmware left them', (t) => {
  const { pc } = machine();
  t.is(cfg(pc, 0), 0x24158086);
  t.is(cfg(pc, 8) >>> 8, A.AC97_CLASS);
  t.is(cfg(pc, 0x10), AUDIO_NAM_BASE | 1);
  t.is(cfg(pc, 0x14), AUDIO_NABM_BASE | 1);
  t.is(cfg(pc, 0x3c) & 0xff, AUDIO_IRQ);
  t.is(new Pc().audio, undefined, 'no card unless asked for');
});

test('codec: ready after cold reset, DAC rate fixed at 48 kHz without VRA, 8..48 kHz with it', (t) => {
  const { pc } = machine();
  t.is(pc.inPort(NABM + A.GLOB_STA, 4) & A.GLOB_STA_PCR, 0);
  pc.outPort(NABM + A.GLOB_CNT, 4, A.GLOB_CNT_COLD);
  t.truthy(pc.inPort(NABM + A.GLOB_STA, 4) & A.GLOB_STA_PCR);
  t.is(pc.inPort(NAM + A.NAM_POWERDOWN, 2) & A.POWERDOWN_READY, A.POWERDOWN_READY);
  t.truthy(pc.inPort(NAM + A.NAM_EXT_AUDIO_ID, 2) & A.EXT_VRA);
  t.is(rate(pc), 48000);
  pc.outPort(NAM + A.NAM_FRONT_DAC_RATE, 2, 44100);
  t.is(rate(pc), 48000, 'ignored without VRA');
  pc.outPort(NAM + A.NAM_EXT_AUDIO_CTRL, 2, A.EXT_VRA);
  pc.outPort(NAM + A.NAM_FRONT_DAC_RATE, 2, 44100);
  t.is(rate(pc), 44100);
  pc.outPort(NAM + A.NAM_FRONT_DAC_RATE, 2, 100);
  t.is(rate(pc), 8000, 'clamped');
  pc.outPort(NAM + A.NAM_RESET, 2, 0);
  t.is(rate(pc), 48000, 'codec reset');
});

test('plays the list at the DAC rate: BCIS per IOC entry, CIV/PIV advance, LVBCI+CELV+DCH at LVI', (t) => {
  const { pc, card, played } = machine();
  codecUp(pc);
  for (let i = 0; i < 3; i++) entry(pc, i, 441);
  pc.outPort(NABM + A.PO + A.BDBAR, 4, BDL);
  pc.outPort(NABM + A.PO + A.LVI, 1, 2);
  t.truthy(sr(pc) & A.SR_DCH, 'halted before run');
  const start = pc.clock.tsc();
  pc.outPort(NABM + A.PO + A.CR, 1, A.CR_RPBM | A.CR_IOCE | A.CR_LVBIE);
  t.is(sr(pc) & A.SR_DCH, 0);
  t.is(civ(pc), 0);
  t.is(pc.inPort(NABM + A.PO + A.PIV, 1), 1);
  t.is(played.length, 1, 'first entry fetched at once');
  t.is(played[0]!.rate, 44100);
  t.deepEqual([...played[0]!.pcm.slice(0, 4)], [0, 1, 2, 3]);
  /* half way through the first entry: PICB counts down */
  pc.clock.advanceTo(start + cyclesFor(pc, 220, 44100));
  const picb = pc.inPort(NABM + A.PO + A.PICB, 2);
  t.true(picb > 0 && picb <= 2 * 441 - 2 * 219, `PICB ${picb}`);
  t.false(card.irqPending);
  /* 10 ms: entry 0 done */
  pc.clock.advanceTo(start + cyclesFor(pc, 441, 44100));
  t.is(civ(pc), 1);
  t.truthy(sr(pc) & A.SR_BCIS);
  t.true(card.irqPending);
  t.truthy(pc.pic.master.irr & (1 << AUDIO_IRQ));
  t.truthy(pc.inPort(NABM + A.GLOB_STA, 4) & A.GLOB_STA_POINT);
  pc.outPort(NABM + A.PO + A.SR, 2, A.SR_BCIS);
  t.false(card.irqPending, 'cleared by writing one');
  pc.clock.advanceTo(start + cyclesFor(pc, 3 * 441, 44100));
  t.is(civ(pc), 2);
  t.is(sr(pc) & (A.SR_LVBCI | A.SR_CELV | A.SR_DCH), A.SR_LVBCI | A.SR_CELV | A.SR_DCH);
  t.is(played.length, 3);
  t.is(card.stats.frames, 3 * 441);
  t.deepEqual([...played[2]!.pcm.slice(0, 2)], [2000, 2001]);
  t.is(pc.clock.nextEventAt(), undefined, 'nothing scheduled while halted');
});

test('writing LVI past CIV resumes a halted running channel with the next entry', (t) => {
  const { pc, played } = machine();
  codecUp(pc);
  entry(pc, 0, 100);
  entry(pc, 1, 100);
  pc.outPort(NABM + A.PO + A.BDBAR, 4, BDL);
  pc.outPort(NABM + A.PO + A.LVI, 1, 0);
  pc.outPort(NABM + A.PO + A.CR, 1, A.CR_RPBM);
  pc.clock.advanceTo(pc.clock.tsc() + cyclesFor(pc, 200, 44100));
  t.truthy(sr(pc) & A.SR_CELV);
  pc.outPort(NABM + A.PO + A.LVI, 1, 1);
  t.is(sr(pc) & (A.SR_DCH | A.SR_CELV), 0);
  t.is(civ(pc), 1);
  t.is(played.length, 2);
  t.deepEqual([...played[1]!.pcm.slice(0, 2)], [1000, 1001]);
});

test('the checksum of audible frames leaves silence out', (t) => {
  const { pc, card } = machine();
  codecUp(pc);
  entry(pc, 0, 100);
  pc.memory.write32(BUFS, 0); // frame 0 silent
  pc.outPort(NABM + A.PO + A.BDBAR, 4, BDL);
  pc.outPort(NABM + A.PO + A.CR, 1, A.CR_RPBM);
  t.is(card.played.frames, 100);
  t.is(card.played.audible, 99);
});

test('a list or buffer outside RAM, or no bus-master bit: FIFOE, halted, no exception', (t) => {
  const { pc, card } = machine();
  codecUp(pc);
  pc.outPort(NABM + A.PO + A.BDBAR, 4, 0xfffffff8);
  pc.outPort(NABM + A.PO + A.CR, 1, A.CR_RPBM | A.CR_FEIE);
  t.truthy(sr(pc) & A.SR_FIFOE);
  t.truthy(sr(pc) & A.SR_DCH);
  t.true(card.irqPending);
  t.is(card.stats.busErrors, 1);
  /* reset the channel: registers back, interrupt gone */
  pc.outPort(NABM + A.PO + A.CR, 1, A.CR_RR);
  t.is(sr(pc), A.SR_DCH);
  t.is(pc.inPort(NABM + A.PO + A.BDBAR, 4), 0);
  t.false(card.irqPending);
  /* a buffer beyond RAM */
  pc.memory.write32(BDL, 0xf0000000);
  pc.memory.write32(BDL + 4, 64);
  pc.outPort(NABM + A.PO + A.BDBAR, 4, BDL);
  pc.outPort(NABM + A.PO + A.CR, 1, A.CR_RPBM);
  t.is(card.stats.busErrors, 2);
  /* bus mastering off */
  pc.outPort(NABM + A.PO + A.CR, 1, A.CR_RR);
  entry(pc, 0, 10);
  cfg(pc, 4, 0x1);
  pc.outPort(NABM + A.PO + A.BDBAR, 4, BDL);
  pc.outPort(NABM + A.PO + A.CR, 1, A.CR_RPBM);
  t.is(card.stats.busErrors, 3);
});

test('zero-length entries still take time, so a list of them cannot spin', (t) => {
  const { pc, card } = machine();
  codecUp(pc);
  for (let i = 0; i < 32; i++) { pc.memory.write32(BDL + i * 8, BUFS); pc.memory.write32(BDL + i * 8 + 4, 0); }
  pc.outPort(NABM + A.PO + A.BDBAR, 4, BDL);
  pc.outPort(NABM + A.PO + A.LVI, 1, 31);
  pc.outPort(NABM + A.PO + A.CR, 1, A.CR_RPBM);
  const next = pc.clock.nextEventAt()!;
  t.true(next > pc.clock.tsc());
  pc.clock.advanceTo(pc.clock.tsc() + cyclesFor(pc, 64, 44100));
  t.is(civ(pc), 31);
  t.truthy(sr(pc) & A.SR_CELV);
  t.is(card.stats.frames, 0);
});

test('clearing RPBM pauses and keeps the rest of the buffer; setting it again continues', (t) => {
  const { pc } = machine();
  codecUp(pc);
  entry(pc, 0, 1000);
  pc.outPort(NABM + A.PO + A.BDBAR, 4, BDL);
  pc.outPort(NABM + A.PO + A.CR, 1, A.CR_RPBM);
  const t0 = pc.clock.tsc();
  pc.clock.advanceTo(t0 + cyclesFor(pc, 400, 44100));
  pc.outPort(NABM + A.PO + A.CR, 1, 0);
  const left = pc.inPort(NABM + A.PO + A.PICB, 2);
  t.true(left >= 2 * 599 && left <= 2 * 601, `PICB ${left}`);
  pc.clock.advanceTo(t0 + cyclesFor(pc, 5000, 44100));
  t.is(pc.inPort(NABM + A.PO + A.PICB, 2), left, 'paused');
  t.truthy(sr(pc) & A.SR_DCH);
  pc.outPort(NABM + A.PO + A.CR, 1, A.CR_RPBM);
  pc.clock.advanceTo(pc.clock.tsc() + cyclesFor(pc, 601, 44100));
  t.truthy(sr(pc) & A.SR_CELV);
});
