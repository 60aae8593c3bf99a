import test from 'ava';
import { Pc } from '../../tool/pc/index.js';
import { drainI8042, out } from './helpers.js';

function mouseCommand(pc: Pc, ...bytes: number[]): number[] {
  for (const byte of bytes) {
    out(pc, 0x64, 0xd4);
    out(pc, 0x60, byte);
  }
  return drainI8042(pc);
}

function streaming(): Pc {
  const pc = new Pc({ i8042Config: 0x47 });
  mouseCommand(pc, 0xf4);
  return pc;
}

test('reset replies FA AA 00; get id replies FA 00', (t) => {
  const pc = new Pc();
  t.deepEqual(mouseCommand(pc, 0xff), [0xfa, 0xaa, 0x00]);
  t.deepEqual(mouseCommand(pc, 0xf2), [0xfa, 0x00]);
});

test('no packets until data reporting is enabled with 0xF4', (t) => {
  const pc = new Pc();
  pc.mouse.move(10, 10);
  t.deepEqual(drainI8042(pc), []);
  t.deepEqual(mouseCommand(pc, 0xf4), [0xfa]);
  pc.mouse.move(10, 10);
  t.deepEqual(drainI8042(pc), [0x28, 10, 0xf6]); // dy down 10 = -10 up: Y sign set
});

test('packet byte 0: buttons, always-one bit 3, sign bits', (t) => {
  const pc = streaming();
  pc.mouse.buttons(0b101); // left and middle
  t.deepEqual(drainI8042(pc), [0x0d, 0, 0]);
  pc.mouse.move(-1, 0);
  t.deepEqual(drainI8042(pc), [0x1d, 0xff, 0]);
  pc.mouse.buttons(0);
  t.deepEqual(drainI8042(pc), [0x08, 0, 0]);
});

test('large moves are split into packets of at most 255 counts', (t) => {
  const pc = streaming();
  pc.mouse.move(300, 0);
  t.deepEqual(drainI8042(pc), [0x08, 255, 0, 0x08, 45, 0]);
});

test('set sample rate acks the command and the rate; status reports it', (t) => {
  const pc = new Pc();
  t.deepEqual(mouseCommand(pc, 0xf3, 40), [0xfa, 0xfa]);
  t.deepEqual(mouseCommand(pc, 0xe8, 3), [0xfa, 0xfa]);
  t.deepEqual(mouseCommand(pc, 0xe7), [0xfa]);
  t.deepEqual(mouseCommand(pc, 0xf4), [0xfa]);
  t.deepEqual(mouseCommand(pc, 0xe9), [0xfa, 0x30, 3, 40]);
});

test('IntelliMouse: rates 200,100,80 give id 3 and a 4th wheel byte', (t) => {
  const pc = streaming();
  mouseCommand(pc, 0xf3, 200, 0xf3, 100, 0xf3, 80);
  t.deepEqual(mouseCommand(pc, 0xf2), [0xfa, 0x03]);
  pc.mouse.wheel(-2);
  t.deepEqual(drainI8042(pc), [0x08, 0, 0, 0xfe]);
  pc.mouse.move(1, 0);
  t.deepEqual(drainI8042(pc), [0x08, 1, 0, 0]);
  t.deepEqual(mouseCommand(pc, 0xff), [0xfa, 0xaa, 0x00]); // reset drops back to id 0
});

test('IntelliMouse Explorer: rates 200,200,80 give id 4 with buttons 4 and 5', (t) => {
  const pc = streaming();
  mouseCommand(pc, 0xf3, 200, 0xf3, 200, 0xf3, 80);
  t.deepEqual(mouseCommand(pc, 0xf2), [0xfa, 0x04]);
  pc.mouse.buttons(0b11000);
  t.deepEqual(drainI8042(pc), [0x08, 0, 0, 0x30]);
  pc.mouse.wheel(1);
  t.deepEqual(drainI8042(pc), [0x08, 0, 0, 0x31]);
});

test('wheel motion is not reported by a standard mouse', (t) => {
  const pc = streaming();
  pc.mouse.wheel(3);
  t.deepEqual(drainI8042(pc), []);
});

test('remote mode accumulates motion until read with 0xEB', (t) => {
  const pc = streaming();
  mouseCommand(pc, 0xf0);
  pc.mouse.move(3, 0);
  pc.mouse.move(4, -2);
  t.deepEqual(drainI8042(pc), []);
  t.deepEqual(mouseCommand(pc, 0xeb), [0xfa, 0x08, 7, 2]);
});

test('2:1 scaling maps small counts through the scaling table', (t) => {
  const pc = streaming();
  mouseCommand(pc, 0xe7);
  pc.mouse.move(4, 0);
  t.deepEqual(drainI8042(pc), [0x08, 6, 0]);
});

test('wrap mode echoes bytes until 0xEC; unknown commands get 0xFE', (t) => {
  const pc = new Pc();
  t.deepEqual(mouseCommand(pc, 0xee), [0xfa]);
  t.deepEqual(mouseCommand(pc, 0x42), [0x42]);
  t.deepEqual(mouseCommand(pc, 0xec), [0xfa]);
  t.deepEqual(mouseCommand(pc, 0x42), [0xfe]);
});
