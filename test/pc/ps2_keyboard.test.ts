import test from 'ava';
import { KEY_NAMES, Pc, keyName, scanCodes } from '../../tool/pc/index.js';
import { drainI8042, out } from './helpers.js';

test('set 1 codes from the reference table', (t) => {
  const make = (key: string) => scanCodes(key, 1, true);
  t.deepEqual(make('Escape'), [0x01]);
  t.deepEqual(make('1'), [0x02]);
  t.deepEqual(make('q'), [0x10]);
  t.deepEqual(make('a'), [0x1e]);
  t.deepEqual(make('Enter'), [0x1c]);
  t.deepEqual(make('Space'), [0x39]);
  t.deepEqual(make('ShiftLeft'), [0x2a]);
  t.deepEqual(make('ControlLeft'), [0x1d]);
  t.deepEqual(make('AltLeft'), [0x38]);
  t.deepEqual(make('F1'), [0x3b]);
  t.deepEqual(make('ControlRight'), [0xe0, 0x1d]);
  t.deepEqual(scanCodes('ControlRight', 1, false), [0xe0, 0x9d]);
  t.deepEqual(make('AltRight'), [0xe0, 0x38]);
  t.deepEqual(make('ArrowUp'), [0xe0, 0x48]);
  t.deepEqual(make('ArrowDown'), [0xe0, 0x50]);
  t.deepEqual(make('ArrowLeft'), [0xe0, 0x4b]);
  t.deepEqual(make('ArrowRight'), [0xe0, 0x4d]);
  t.deepEqual(make('NumpadEnter'), [0xe0, 0x1c]);
  t.deepEqual(make('Delete'), [0xe0, 0x53]);
  t.deepEqual(scanCodes('Escape', 1, false), [0x81]);
});

test('set 2 break codes use the F0 prefix after any E0', (t) => {
  t.deepEqual(scanCodes('a', 2, true), [0x1c]);
  t.deepEqual(scanCodes('a', 2, false), [0xf0, 0x1c]);
  t.deepEqual(scanCodes('ArrowUp', 2, false), [0xe0, 0xf0, 0x75]);
  t.deepEqual(scanCodes('F7', 2, true), [0x83]);
});

test('key names: DOM codes and aliases, any case; unknown names throw', (t) => {
  t.is(keyName('a'), 'KeyA');
  t.is(keyName('KEYZ'), 'KeyZ');
  t.is(keyName('7'), 'Digit7');
  t.is(keyName('Esc'), 'Escape');
  t.is(keyName('return'), 'Enter');
  t.is(keyName('Shift'), 'ShiftLeft');
  t.is(keyName('ctrl'), 'ControlLeft');
  t.is(keyName('up'), 'ArrowUp');
  t.is(keyName('f12'), 'F12');
  t.throws(() => keyName('Hyper'), { instanceOf: RangeError });
  t.true(KEY_NAMES.length >= 104);
});

test('for every key, the controller\'s translation of set 2 gives the set 1 codes', (t) => {
  const pc = new Pc();
  for (const key of KEY_NAMES) {
    pc.keyboard.press(key);
    t.deepEqual(drainI8042(pc), scanCodes(key, 1, true), `${key} make`);
    pc.keyboard.release(key);
    t.deepEqual(drainI8042(pc), scanCodes(key, 1, false), `${key} break`);
  }
});

test('PrintScreen and Pause send their multi-byte sequences', (t) => {
  const pc = new Pc();
  pc.keyboard.press('PrintScreen');
  t.deepEqual(drainI8042(pc), [0xe0, 0x2a, 0xe0, 0x37]);
  pc.keyboard.release('PrintScreen');
  t.deepEqual(drainI8042(pc), [0xe0, 0xb7, 0xe0, 0xaa]);
  pc.keyboard.tap('Pause');
  t.deepEqual(drainI8042(pc), [0xe1, 0x1d, 0x45, 0xe1, 0x9d, 0xc5]);
});

test('type() uses Shift for capitals and shifted punctuation on a US layout', (t) => {
  const pc = new Pc();
  pc.keyboard.type('Hi!\n');
  t.deepEqual(drainI8042(pc), [
    0x2a, 0x23, 0xa3, 0xaa, // Shift, h, Shift up
    0x17, 0x97, // i
    0x2a, 0x02, 0x82, 0xaa, // Shift, 1
    0x1c, 0x9c, // Enter
  ]);
  t.throws(() => pc.keyboard.type('é'), { instanceOf: RangeError });
});

test('typematic and LED commands take a parameter; a command byte cancels a pending parameter', (t) => {
  const pc = new Pc({ i8042Config: 0x05 });
  out(pc, 0x60, 0xf3);
  out(pc, 0x60, 0x20);
  t.deepEqual(drainI8042(pc), [0xfa, 0xfa]);
  t.is(pc.keyboard.typematic, 0x20);
  out(pc, 0x60, 0xed);
  out(pc, 0x60, 0xee); // echo instead of an LED value
  t.deepEqual(drainI8042(pc), [0xfa, 0xee]);
});

test('resend repeats the last byte; scan code set 3 is refused', (t) => {
  const pc = new Pc({ i8042Config: 0x05 });
  out(pc, 0x60, 0xf2);
  drainI8042(pc);
  out(pc, 0x60, 0xfe);
  t.deepEqual(drainI8042(pc), [0x83]);
  out(pc, 0x60, 0xf0);
  out(pc, 0x60, 0x03);
  t.deepEqual(drainI8042(pc), [0xfa, 0xfe]);
  t.is(pc.keyboard.scanCodeSet, 2);
});

test('reset restores set 2 and discards queued key bytes', (t) => {
  const pc = new Pc({ i8042Config: 0x05 });
  out(pc, 0x60, 0xf0);
  out(pc, 0x60, 0x01);
  drainI8042(pc);
  pc.keyboard.press('a');
  pc.keyboard.press('b'); // queued behind the first byte in the output buffer
  out(pc, 0x60, 0xff);
  t.deepEqual(drainI8042(pc), [0x1e, 0xfa, 0xaa]);
  t.is(pc.keyboard.scanCodeSet, 2);
});
