/*
 * A short tune made by code (no recording is bundled): a C major arpeggio of plucked
 * notes (a sine with an exponential decay), left and right slightly apart in time, as a
 * 16-bit stereo 44.1 kHz WAV. The same bytes on every build: Math.sin and Math.exp of the
 * same arguments give the same doubles in one JavaScript engine, and the 16-bit
 * quantisation rounds.
 */
import { encodeWav } from '../../../os/src/lib/wav/encode.js';

const RATE = 44100;
/** C5 E5 G5 C6 G5 E5 C5 (equal temperament) */
const NOTES = [523.25, 659.26, 783.99, 1046.5, 783.99, 659.26, 523.25];
const NOTE_FRAMES = Math.round(RATE * 0.18);

export function makeTune(): Uint8Array {
  const frames = NOTES.length * NOTE_FRAMES + RATE / 4;
  const left = new Float32Array(frames);
  const right = new Float32Array(frames);
  NOTES.forEach((f, n) => {
    const start = n * NOTE_FRAMES;
    for (let i = 0; i < RATE / 2 && start + i < frames; i++) {
      const v = 0.3 * Math.sin((2 * Math.PI * f * i) / RATE) * Math.exp(-i / (RATE * 0.12));
      left[start + i]! += v;
      if (start + i + 200 < frames) right[start + i + 200]! += v * 0.8;
    }
  });
  return encodeWav([left, right], RATE);
}
