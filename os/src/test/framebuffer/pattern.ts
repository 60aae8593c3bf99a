/*
 * The framebuffer test's picture: eight colour bars over the upper half, a grey ramp and
 * a colour ramp below, a white frame around it all. A pure function of the size, so the
 * scenario can compute what must end up on the screen.
 */

const BARS = [0xffffff, 0xffff00, 0x00ffff, 0x00ff00, 0xff00ff, 0xff0000, 0x0000ff, 0x000000];

/** The colour (0x00RRGGBB) of pixel (x, y) of a width x height picture. */
export function patternPixel(x: number, y: number, width: number, height: number): number {
  if (x === 0 || y === 0 || x === width - 1 || y === height - 1) return 0xffffff;
  if (y < height / 2) return BARS[Math.floor((x * BARS.length) / width)]!;
  const level = Math.floor((x * 255) / Math.max(1, width - 1));
  if (y < (height * 3) / 4) return (level << 16) | (level << 8) | level;
  return (level << 16) | (Math.floor((y * 255) / Math.max(1, height - 1)) << 8) | (255 - level);
}

/** Draws the picture into `pixels` (lines of `width` pixels). */
export function drawPattern(pixels: Uint32Array, width: number, height: number): void {
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) pixels[y * width + x] = patternPixel(x, y, width, height);
  }
}

/** The picture as the bytes of a 32-bit little-endian framebuffer (B, G, R, X per pixel). */
export function patternBytes(width: number, height: number): Uint8Array {
  const bytes = new Uint8Array(width * height * 4);
  const view = new DataView(bytes.buffer);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) view.setUint32((y * width + x) * 4, patternPixel(x, y, width, height), true);
  }
  return bytes;
}
