/* Browser pointer positions into relative PS/2 motion: homing first, then differences, clamped. */
import test from 'ava';
import type { Pc } from '../../tool/pc/index.js';
import { DisplayInput } from '../../tool/display/input.js';

function fakePc() {
  const moves: Array<[number, number]> = [];
  const keys: string[] = [];
  const pc = {
    vga: { mode: () => ({ enabled: true, width: 100, height: 80 }) },
    mouse: { move: (dx: number, dy: number) => moves.push([dx, dy]), buttons: () => {}, wheel: () => {} },
    keyboard: { press: (k: string) => keys.push(`+${k}`), release: (k: string) => keys.push(`-${k}`) },
  };
  return { pc: pc as unknown as Pc, moves, keys };
}

test('the first position homes the pointer, later ones move by the difference', (t) => {
  const { pc, moves } = fakePc();
  const input = new DisplayInput(pc);
  input.apply({ kind: 'move', x: 10, y: 20 });
  input.apply({ kind: 'move', x: 15, y: 18 });
  input.apply({ kind: 'move', x: 500, y: -3 });
  t.deepEqual(moves, [[-200, -160], [10, 20], [5, -2], [84, -18]]);
  input.apply({ kind: 'enter' });
  t.deepEqual(moves.at(-1), [-200, -160]);
});

test('keys by their DOM code; unknown ones and bad events are refused', (t) => {
  const { pc, keys } = fakePc();
  const input = new DisplayInput(pc);
  t.true(input.apply({ kind: 'key', code: 'ScrollLock', down: true }));
  t.true(input.apply({ kind: 'key', code: 'ScrollLock', down: false }));
  t.false(input.apply({ kind: 'key', code: 'LaunchMail', down: true }));
  t.false(input.apply({ kind: 'move', x: Number.NaN, y: 0 }));
  t.false(input.apply({ kind: 'bogus' } as never));
  t.deepEqual(keys, ['+ScrollLock', '-ScrollLock']);
});
