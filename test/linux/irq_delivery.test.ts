/*
 * Interrupts on linux: core programs the PIC at boot with every line masked, unmasks a
 * line on attach, acknowledges and ends each occurrence at the PIC before calling the
 * handler, and masks the line again on detach. Through the core platform: IO_PORT,
 * IO_MEM and IRQ need a machine, device memory reaches a PD as the machine's shared
 * VRAM, and an interrupt scheduled by outside input (the UART's character timeout) comes
 * without anyone touching the machine.
 */
import test from 'ava';
import { receiveMessageOnPort } from 'node:worker_threads';
import { HostMachine } from '../../base-linux/src/core/host_machine.js';
import type { LinuxPd } from '../../base-linux/src/core/pd.js';
import { LinuxCorePlatform } from '../../base-linux/src/core/platform.js';
import type { KernelMessage } from '../../base-linux/src/lib/kernel_messages.js';
import { DEFAULT_FRAMEBUFFER_BASE, Pc } from '../../tool/pc/index.js';

const RAM = { base: 0x10_0000, size: 64 << 20 };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function withMachine(run: (pc: Pc, hm: HostMachine) => void | Promise<void>) {
  return async () => {
    const pc = new Pc();
    const hm = new HostMachine(pc, RAM);
    try {
      await run(pc, hm);
    } finally {
      hm.stop();
    }
  };
}

test('core programs the PIC at boot: vectors 0x20 and 0x28, every line masked but the cascade', async (t) => {
  await withMachine((pc) => {
    t.is(pc.pic.master.vectorBase, 0x20);
    t.is(pc.pic.slave.vectorBase, 0x28);
    t.is(pc.pic.master.imr, 0xfb);
    t.is(pc.pic.slave.imr, 0xff);
  })();
});

test('an occurrence reaches the handler once attached, ended at the PIC first', async (t) => {
  await withMachine((pc, hm) => {
    const seen: number[] = [];
    pc.keyboard.press('a');
    t.not(pc.pic.master.irr & 0x02, 0, 'latched while masked');
    t.true(hm.interrupts.attach(1, () => seen.push(pc.pic.master.isr)));
    t.deepEqual(seen, [0], 'delivered on attach, with the in-service bit already cleared by the EOI');
    t.is(pc.pic.master.imr & 0x02, 0, 'unmasked');
    t.is(hm.read(0x60, 1), 0x1e, 'make code of a');
    pc.keyboard.release('a');
    t.is(seen.length, 2);
    t.is(hm.read(0x60, 1), 0x9e);
    t.is(hm.interrupts.delivered, 2);
  })();
});

test('a slave line is ended at both PICs', async (t) => {
  await withMachine((pc, hm) => {
    let n = 0;
    t.true(hm.interrupts.attach(12, () => n++));
    pc.pic.raise(12);
    pc.pic.lower(12);
    t.is(n, 1);
    t.is(pc.pic.slave.isr, 0);
    t.is(pc.pic.master.isr, 0);
    pc.pic.raise(12);
    t.is(n, 2, 'the next edge comes through as well');
  })();
});

test('detach masks the line; the cascade, bad and taken lines are refused', async (t) => {
  await withMachine((pc, hm) => {
    let n = 0;
    for (const bad of [2, 16, -1, 1.5]) t.false(hm.interrupts.attach(bad, () => n++), `line ${bad}`);
    t.true(hm.interrupts.attach(4, () => n++));
    t.false(hm.interrupts.attach(4, () => n++), 'taken');
    hm.interrupts.detach(4);
    t.not(pc.pic.master.imr & 0x10, 0, 'masked again');
    pc.pic.raise(4);
    t.is(n, 0);
    t.true(hm.interrupts.attach(4, () => n++), 'free again');
    t.is(n, 1, 'the occurrence latched while masked comes now');
  })();
});

function platform(pc?: Pc) {
  return new LinuxCorePlatform({ ramBytes: RAM.size, log: () => {}, machine: pc });
}

test('the linux platform offers device access only with a machine', async (t) => {
  const none = platform();
  t.is(none.ioPorts, undefined, 'no IO_PORT, IO_MEM or IRQ services without a machine');
  t.false(none.attachIrq(1, () => {}));
  t.false(none.isDeviceMemory(DEFAULT_FRAMEBUFFER_BASE, 4096));
  await none.shutdown();
  /* VRAM in a plain ArrayBuffer could not reach a worker: not device memory here */
  const unshared = platform(new Pc());
  t.false(unshared.isDeviceMemory(DEFAULT_FRAMEBUFFER_BASE, 4096));
  t.truthy(unshared.ioPorts);
  await unshared.shutdown();
});

test('device memory reaches a PD as the machine\'s shared VRAM', async (t) => {
  const pc = new Pc({ sharedDeviceMemory: true });
  const p = platform(pc);
  try {
    t.true(p.isDeviceMemory(DEFAULT_FRAMEBUFFER_BASE, 16 << 20));
    t.false(p.isDeviceMemory(DEFAULT_FRAMEBUFFER_BASE, (16 << 20) + 4096), 'beyond the BAR');
    t.false(p.isDeviceMemory(RAM.base, 4096), 'RAM');
    const pd = p.createPd('fb') as LinuxPd;
    t.true(pd.map(0x4000_0000, DEFAULT_FRAMEBUFFER_BASE + 8192, 4096, true));
    const m = receiveMessageOnPort(pd.workerPort)?.message as KernelMessage | undefined;
    t.is(m?.t, 'map');
    if (m?.t !== 'map') return;
    /* a new handle on the VRAM's own buffer: what the PD writes, the adapter shows */
    t.is(m.sab.byteLength, pc.vga.vram.byteLength);
    t.is(m.offset, 8192);
    new Uint8Array(m.sab, m.offset)[0] = 0x5a;
    t.is(pc.vga.vram[8192], 0x5a);
    pd.destroy();
  } finally {
    await p.shutdown();
  }
});

test('a UART character timeout scheduled by outside input interrupts through the platform', async (t) => {
  const pc = new Pc({ sharedDeviceMemory: true });
  const p = platform(pc);
  try {
    const io = p.ioPorts!;
    let n = 0;
    t.true(p.attachIrq(4, () => n++));
    io.write(0x3fa, 1, 0xc7); // FIFOs on and cleared, receive trigger level 14
    io.write(0x3f9, 1, 0x01); // receive-data interrupt
    io.write(0x3fc, 1, 0x08); // OUT2: the IRQ line to the PIC
    /* fewer bytes than the trigger level: only the timeout (four character times) tells */
    pc.uart.receive('abc');
    t.is(n, 0);
    const deadline = performance.now() + 1000;
    while (n === 0 && performance.now() < deadline) await sleep(1);
    t.is(n, 1, 'the timeout interrupt came by itself');
    t.is(io.read(0x3fa, 1) & 0x0f, 0x0c, 'character timeout pending');
    t.is(String.fromCharCode(io.read(0x3f8, 1), io.read(0x3f8, 1), io.read(0x3f8, 1)), 'abc');
    /* a stall between those reads longer than the timeout may raise it once more */
    t.is(p.stats().interrupts, n);
  } finally {
    await p.shutdown();
  }
});
