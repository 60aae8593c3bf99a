/*
 * The terminal's colours (0xRRGGBB): xterm's 16 standard colours, its 6x6x6 colour cube
 * (16..231) and grey ramp (232..255), and the default foreground and background.
 */
const STANDARD = [
  0x000000, 0xcd0000, 0x00cd00, 0xcdcd00, 0x3b78ff, 0xcd00cd, 0x00cdcd, 0xe5e5e5,
  0x7f7f7f, 0xff0000, 0x00ff00, 0xffff00, 0x5c5cff, 0xff00ff, 0x00ffff, 0xffffff,
];

export const DEFAULT_FG = 0xd8dce4;
export const DEFAULT_BG = 0x10141c;

export const PALETTE: readonly number[] = (() => {
  const out = [...STANDARD];
  const level = (i: number) => (i === 0 ? 0 : 55 + i * 40);
  for (let r = 0; r < 6; r++) for (let g = 0; g < 6; g++) for (let b = 0; b < 6; b++) out.push((level(r) << 16) | (level(g) << 8) | level(b));
  for (let i = 0; i < 24; i++) {
    const v = 8 + i * 10;
    out.push((v << 16) | (v << 8) | v);
  }
  return out;
})();

/** Half the brightness (SGR 2, "dim"). */
export function dim(color: number): number {
  return (color >> 1) & 0x7f7f7f;
}
