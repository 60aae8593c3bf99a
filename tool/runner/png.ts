/*
 * PNG encoding and decoding (screenshots, charts, the display's reference images) with
 * pngjs: 8-bit RGBA in, any PNG a browser writes out (all filters, palettes, grey, 16 bit
 * are normalised to 8-bit RGBA by pngjs).
 */
import pngjs from 'pngjs';

const { PNG } = pngjs;

export interface Image { width: number; height: number; rgba: Uint8Array }

export function encodePng(width: number, height: number, rgba: Uint8Array): Buffer {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
    throw new RangeError(`PNG size ${width}x${height} is not a positive whole size`);
  }
  if (rgba.length !== width * height * 4) {
    throw new RangeError(`PNG ${width}x${height} needs ${width * height * 4} bytes of RGBA, got ${rgba.length}`);
  }
  return PNG.sync.write({ width, height, data: Buffer.from(rgba.buffer, rgba.byteOffset, rgba.byteLength) } as InstanceType<typeof PNG>, { colorType: 6 });
}

export function decodePng(file: Uint8Array): Image {
  const png = PNG.sync.read(Buffer.from(file.buffer, file.byteOffset, file.byteLength));
  return { width: png.width, height: png.height, rgba: new Uint8Array(png.data.buffer, png.data.byteOffset, png.data.byteLength) };
}
