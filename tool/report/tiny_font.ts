/*
 * A 3x5 pixel font for labels in rasterised charts: each glyph is five rows of three bits,
 * written as a string of rows ("111 101 ..."). Covers what chart labels use.
 */
const GLYPHS: Record<string, string> = {
  '0': '111 101 101 101 111', '1': '010 110 010 010 111', '2': '111 001 111 100 111', '3': '111 001 111 001 111',
  '4': '101 101 111 001 001', '5': '111 100 111 001 111', '6': '111 100 111 101 111', '7': '111 001 010 010 010',
  '8': '111 101 111 101 111', '9': '111 101 111 001 111',
  a: '010 101 111 101 101', b: '110 101 110 101 110', c: '011 100 100 100 011', d: '110 101 101 101 110',
  e: '111 100 110 100 111', f: '111 100 110 100 100', g: '011 100 101 101 011', h: '101 101 111 101 101',
  i: '111 010 010 010 111', j: '001 001 001 101 010', k: '101 110 100 110 101', l: '100 100 100 100 111',
  m: '101 111 111 101 101', n: '110 101 101 101 101', o: '010 101 101 101 010', p: '110 101 110 100 100',
  q: '010 101 101 110 011', r: '110 101 110 101 101', s: '011 100 010 001 110', t: '111 010 010 010 010',
  u: '101 101 101 101 111', v: '101 101 101 101 010', w: '101 101 111 111 101', x: '101 101 010 101 101',
  y: '101 101 010 010 010', z: '111 001 010 100 111',
  ' ': '000 000 000 000 000', '.': '000 000 000 000 010', '-': '000 000 111 000 000', '_': '000 000 000 000 111',
  '(': '001 010 010 010 001', ')': '100 010 010 010 100', ',': '000 000 000 010 100', ':': '000 010 000 010 000',
  '/': '001 001 010 100 100', '%': '101 001 010 100 101', '+': '000 010 111 010 000', '=': '000 111 000 111 000',
};

export const GLYPH_W = 3;
export const GLYPH_H = 5;

/** Calls `plot(x, y)` for each set pixel of `text` drawn at (x, y), `scale` pixels per dot. */
export function drawText(text: string, x: number, y: number, scale: number, plot: (px: number, py: number) => void): void {
  let cx = x;
  for (const ch of text.toLowerCase()) {
    const g = GLYPHS[ch] ?? GLYPHS['_']!;
    const rows = g.split(' ');
    for (let r = 0; r < GLYPH_H; r++) {
      for (let c = 0; c < GLYPH_W; c++) {
        if (rows[r]![c] !== '1') continue;
        for (let dy = 0; dy < scale; dy++) for (let dx = 0; dx < scale; dx++) plot(cx + c * scale + dx, y + r * scale + dy);
      }
    }
    cx += (GLYPH_W + 1) * scale;
  }
}
