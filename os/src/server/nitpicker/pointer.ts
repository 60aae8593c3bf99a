/*
 * The mouse pointer nitpicker draws on top of everything: an arrow with a dark outline,
 * its tip at the pointer position. 'X' outline, '.' fill, ' ' transparent.
 */
import type { Surface } from '../../lib/surface.js';

const SHAPE = [
  'X',
  'XX',
  'X.X',
  'X..X',
  'X...X',
  'X....X',
  'X.....X',
  'X......X',
  'X.......X',
  'X........X',
  'X.....XXXXX',
  'X..X..X',
  'X.X X..X',
  'XX  X..X',
  'X    X..X',
  '     X..X',
  '      XX',
];

export const POINTER_WIDTH = 11;
export const POINTER_HEIGHT = SHAPE.length;

const OUTLINE = 0x101010;
const FILL = 0xf8f8f8;

export function drawPointer(s: Surface, x: number, y: number): void {
  SHAPE.forEach((row, dy) => {
    for (let dx = 0; dx < row.length; dx++) {
      const c = row[dx];
      if (c === 'X') s.fill(x + dx, y + dy, 1, 1, OUTLINE);
      else if (c === '.') s.fill(x + dx, y + dy, 1, 1, FILL);
    }
  });
}
