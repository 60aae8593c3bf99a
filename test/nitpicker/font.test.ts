/* The bitmap font: every printable ASCII character has a glyph of its own, 5 pixels wide. */
import test from 'ava';
import { CHAR_WIDTH, drawText, glyph, GLYPH_ROWS, textWidth } from '../../os/src/lib/font.js';

test('every printable character has a glyph, none wider than 5 pixels', (t) => {
  const missing = glyph('\u00e4');
  for (let c = 0x21; c < 0x7f; c++) {
    const g = glyph(String.fromCharCode(c));
    t.not(g, missing, `no glyph for '${String.fromCharCode(c)}'`);
    t.is(g.length, GLYPH_ROWS);
    t.true(g.every((row) => row < 0x20));
    t.true(g.some((row) => row !== 0), `'${String.fromCharCode(c)}' is empty`);
  }
  t.true(glyph(' ').every((row) => row === 0));
});

test('text is drawn inside the clip only', (t) => {
  const w = 40, h = 20;
  const px = new Uint32Array(w * h);
  const end = drawText(px, w, { x0: 0, y0: 0, x1: 6, y1: h }, 0, 0, 'HH', 0xffffff);
  t.is(end, 2 * CHAR_WIDTH);
  t.is(textWidth('HH'), 2 * CHAR_WIDTH);
  for (let y = 0; y < h; y++) for (let x = 6; x < w; x++) t.is(px[y * w + x], 0);
  t.true(px.some((p) => p === 0xffffff));
});
