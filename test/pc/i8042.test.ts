import test from 'ava';
import { Pc } from '../../tool/pc/index.js';
import { drainI8042, inb, initPics, out } from './helpers.js';

function setup(config?: number): { pc: Pc; irqs: number[] } {
  const pc = new Pc(config === undefined ? {} : { i8042Config: config });
  initPics(pc, 0xf9, 0xef); // IRQ1, cascade, IRQ12
  const irqs: number[] = [];
  pc.interrupts.onAssert(() => {
    const irq = pc.interrupts.acknowledge();
    if (irq === undefined) return;
    irqs.push(irq);
    if (irq >= 8) out(pc, 0xa0, 0x20);
    out(pc, 0x20, 0x20);
  });
  return { pc, irqs };
}

/** Send a controller command and collect its reply bytes. */
function command(pc: Pc, cmd: number, data?: number): number[] {
  out(pc, 0x64, cmd);
  if (data !== undefined) out(pc, 0x60, data);
  return drainI8042(pc);
}

test('status after power-on: empty buffer, system flag, not inhibited', (t) => {
  const { pc } = setup();
  t.is(inb(pc, 0x64), 0x14);
});

test('self-test 0xAA replies 0x55, port tests reply 0x00', (t) => {
  const { pc } = setup();
  t.deepEqual(command(pc, 0xaa), [0x55]);
  t.deepEqual(command(pc, 0xab), [0x00]);
  t.deepEqual(command(pc, 0xa9), [0x00]);
});

test('status bit 3 says whether the last write went to the command port', (t) => {
  const { pc } = setup();
  out(pc, 0x64, 0xad);
  t.is(inb(pc, 0x64) & 0x08, 0x08);
  out(pc, 0x60, 0xf4);
  t.is(inb(pc, 0x64) & 0x08, 0x00);
});

test('config byte: 0x20 reads it, 0x60 writes it, 0xA7/0xA8/0xAD/0xAE flip the disable bits', (t) => {
  const { pc } = setup();
  t.deepEqual(command(pc, 0x20), [0x45]);
  command(pc, 0x60, 0x47);
  t.deepEqual(command(pc, 0x20), [0x47]);
  command(pc, 0xa7);
  command(pc, 0xad);
  t.deepEqual(command(pc, 0x20), [0x77]);
  command(pc, 0xa8);
  command(pc, 0xae);
  t.deepEqual(command(pc, 0x20), [0x47]);
});

test('the reply to a controller command raises IRQ1 when config bit 0 is set', (t) => {
  const { pc, irqs } = setup();
  out(pc, 0x64, 0x20);
  t.deepEqual(irqs, [1]);
  t.is(inb(pc, 0x64) & 0x21, 0x01);
  t.is(inb(pc, 0x60), 0x45);
  t.is(inb(pc, 0x64) & 0x01, 0x00);
});

test('a key press arrives as set 1 through translation, with IRQ1', (t) => {
  const { pc, irqs } = setup();
  pc.keyboard.press('a');
  t.deepEqual(irqs, [1]);
  t.deepEqual(drainI8042(pc), [0x1e]);
  pc.keyboard.release('KeyA');
  t.deepEqual(drainI8042(pc), [0x9e]);
  pc.keyboard.tap('ArrowUp');
  t.deepEqual(drainI8042(pc), [0xe0, 0x48, 0xe0, 0xc8]);
  t.deepEqual(irqs, [1, 1, 1, 1, 1, 1]); // one IRQ1 per byte
});

test('without translation the keyboard\'s own set 2 codes come through', (t) => {
  const { pc } = setup(0x05);
  pc.keyboard.tap('a');
  t.deepEqual(drainI8042(pc), [0x1c, 0xf0, 0x1c]);
  pc.keyboard.tap('ControlRight');
  t.deepEqual(drainI8042(pc), [0xe0, 0x14, 0xe0, 0xf0, 0x14]);
});

test('each further byte re-raises IRQ1 after the previous one is read', (t) => {
  const { pc, irqs } = setup();
  pc.keyboard.press('ControlRight'); // E0 1D
  t.deepEqual(irqs, [1]);
  t.is(inb(pc, 0x60), 0xe0);
  t.deepEqual(irqs, [1, 1]);
  t.is(inb(pc, 0x60), 0x1d);
  t.is(inb(pc, 0x64) & 0x01, 0);
});

test('keyboard commands are acked with 0xFA', (t) => {
  const { pc } = setup(0x05); // untranslated, to see the raw bytes
  out(pc, 0x60, 0xff);
  t.deepEqual(drainI8042(pc), [0xfa, 0xaa]);
  out(pc, 0x60, 0xf2);
  t.deepEqual(drainI8042(pc), [0xfa, 0xab, 0x83]);
  out(pc, 0x60, 0xed);
  out(pc, 0x60, 0x07);
  t.deepEqual(drainI8042(pc), [0xfa, 0xfa]);
  t.is(pc.keyboard.leds, 7);
  out(pc, 0x60, 0xee);
  t.deepEqual(drainI8042(pc), [0xee]);
  out(pc, 0x60, 0xf0);
  out(pc, 0x60, 0x00);
  t.deepEqual(drainI8042(pc), [0xfa, 0xfa, 0x02]);
  out(pc, 0x60, 0x01); // not a command
  t.deepEqual(drainI8042(pc), [0xfe]);
});

test('identify through translation reads AB 41, as Linux expects', (t) => {
  const { pc } = setup();
  out(pc, 0x60, 0xf2);
  t.deepEqual(drainI8042(pc), [0xfa, 0xab, 0x41]);
});

test('disable scanning drops key presses; enable brings them back', (t) => {
  const { pc } = setup();
  out(pc, 0x60, 0xf5);
  t.deepEqual(drainI8042(pc), [0xfa]);
  pc.keyboard.tap('b');
  t.deepEqual(drainI8042(pc), []);
  out(pc, 0x60, 0xf4);
  t.deepEqual(drainI8042(pc), [0xfa]);
  pc.keyboard.press('b');
  t.deepEqual(drainI8042(pc), [0x30]);
});

test('a disabled keyboard interface holds bytes until it is enabled again', (t) => {
  const { pc } = setup();
  command(pc, 0xad);
  pc.keyboard.press('Escape');
  t.is(inb(pc, 0x64) & 0x01, 0);
  out(pc, 0x64, 0xae);
  t.deepEqual(drainI8042(pc), [0x01]);
});

test('switching the keyboard to set 1 with translation off sends set 1 directly', (t) => {
  const { pc } = setup(0x05);
  out(pc, 0x60, 0xf0);
  out(pc, 0x60, 0x01);
  t.deepEqual(drainI8042(pc), [0xfa, 0xfa]);
  pc.keyboard.tap('Enter');
  t.deepEqual(drainI8042(pc), [0x1c, 0x9c]);
});

test('0xD4 sends to the mouse; its bytes set status bit 5 and raise IRQ12', (t) => {
  const { pc, irqs } = setup(0x47);
  command(pc, 0xa8);
  out(pc, 0x64, 0xd4);
  out(pc, 0x60, 0xf4);
  t.deepEqual(irqs, [12]);
  t.is(inb(pc, 0x64) & 0x21, 0x21);
  t.is(inb(pc, 0x60), 0xfa);
  pc.mouse.move(5, -3); // right and up
  t.deepEqual(drainI8042(pc), [0x08, 5, 3]);
  t.deepEqual(irqs, [12, 12, 12, 12]);
});

test('the aux port disabled by 0xA7 holds mouse bytes; IRQ12 needs config bit 1', (t) => {
  const { pc, irqs } = setup(0x45);
  out(pc, 0x64, 0xd4);
  out(pc, 0x60, 0xf4);
  t.deepEqual(irqs, []); // config bit 1 clear: the byte is there, no IRQ12
  t.is(inb(pc, 0x64) & 0x21, 0x21);
  t.is(inb(pc, 0x60), 0xfa);
  command(pc, 0xa7);
  pc.mouse.buttons(1);
  t.is(inb(pc, 0x64) & 0x01, 0);
  out(pc, 0x64, 0xa8);
  t.deepEqual(drainI8042(pc), [0x09, 0, 0]);
});

test('keyboard bytes take priority over mouse bytes', (t) => {
  const { pc } = setup(0x47);
  out(pc, 0x64, 0xd4);
  out(pc, 0x60, 0xf4);
  pc.mouse.buttons(2);
  pc.keyboard.press('Space');
  // The ack was already in the buffer; then the keyboard's byte jumps the mouse packet.
  t.deepEqual(drainI8042(pc), [0xfa, 0x39, 0x0a, 0, 0]);
});

test('0xD2 and 0xD3 echo a byte as if from the keyboard or the mouse', (t) => {
  const { pc } = setup(0x47);
  out(pc, 0x64, 0xd3);
  out(pc, 0x60, 0x5a);
  t.is(inb(pc, 0x64) & 0x20, 0x20);
  t.is(inb(pc, 0x60), 0x5a);
  out(pc, 0x64, 0xd2);
  out(pc, 0x60, 0x6b);
  t.is(inb(pc, 0x64) & 0x20, 0x00);
  t.is(inb(pc, 0x60), 0x6b);
});

test('0xFE and output-port bit 0 request a CPU reset; 0xD1 sets A20', (t) => {
  const { pc } = setup();
  const resets: string[] = [];
  pc.onReset((source) => resets.push(source));
  t.deepEqual(command(pc, 0xd0), [0x03]);
  command(pc, 0xd1, 0x01);
  t.false(pc.i8042.a20);
  t.deepEqual(resets, []);
  command(pc, 0xfe);
  t.deepEqual(resets, ['i8042']);
  command(pc, 0xd1, 0x02);
  t.deepEqual(resets, ['i8042', 'i8042']);
  t.true(pc.i8042.a20);
});

test('an empty output buffer reads as the last byte', (t) => {
  const { pc } = setup();
  command(pc, 0xaa);
  t.is(inb(pc, 0x60), 0x55);
});
