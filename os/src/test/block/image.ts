/* The bytes of the generated test image the rom_block scenario serves (scenario and client share it). */
export function imageByte(i: number): number {
  return (Math.imul(i, 2654435761) >>> 24) ^ (i >>> 9) & 0xff;
}

export function testImage(size: number): Uint8Array {
  const img = new Uint8Array(size);
  for (let i = 0; i < size; i++) img[i] = imageByte(i);
  return img;
}
