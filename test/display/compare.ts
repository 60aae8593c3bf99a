/*
 * Screenshot comparison against the reference images in test/display/reference: a pixel
 * differs when a colour channel is off by more than CHANNEL_TOLERANCE, and an image
 * matches when at most PIXEL_TOLERANCE of its pixels differ. UPDATE_REFERENCES=1 writes
 * the current picture as the new reference instead.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { decodePng, encodePng, type Image } from '../../tool/runner/png.js';

export const CHANNEL_TOLERANCE = 8;
export const PIXEL_TOLERANCE = 0.002;

/* the sources' reference directory (this file runs from build/test/display) */
const REFERENCE_DIR = fileURLToPath(new URL('../../../test/display/reference/', import.meta.url));

export function differingPixels(a: Image, b: Image): number {
  let n = 0;
  for (let i = 0; i < a.width * a.height; i++) {
    for (let c = 0; c < 3; c++) {
      if (Math.abs(a.rgba[i * 4 + c]! - b.rgba[i * 4 + c]!) > CHANNEL_TOLERANCE) {
        n++;
        break;
      }
    }
  }
  return n;
}

/** Undefined if `got` matches reference `name`, else what is wrong (a copy of `got` is left beside the build for a look). */
export function compareWithReference(name: string, got: Image): string | undefined {
  const file = `${REFERENCE_DIR}${name}.png`;
  if (process.env.UPDATE_REFERENCES === '1') {
    mkdirSync(REFERENCE_DIR, { recursive: true });
    writeFileSync(file, encodePng(got.width, got.height, got.rgba));
    return undefined;
  }
  if (!existsSync(file)) return `no reference image ${file}; run the test with UPDATE_REFERENCES=1 to create it`;
  const want = decodePng(readFileSync(file));
  if (want.width !== got.width || want.height !== got.height) return `the picture is ${got.width}x${got.height}, the reference ${want.width}x${want.height}`;
  const differing = differingPixels(want, got);
  if (differing <= PIXEL_TOLERANCE * got.width * got.height) return undefined;
  const actual = fileURLToPath(new URL(`./${name}.actual.png`, import.meta.url));
  writeFileSync(actual, encodePng(got.width, got.height, got.rgba));
  return `${differing} of ${got.width * got.height} pixels differ from ${file} (tolerance ${PIXEL_TOLERANCE * 100}%); the picture is in ${actual}`;
}
