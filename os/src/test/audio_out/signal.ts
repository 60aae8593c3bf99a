/*
 * The test signal of test-audio_out: deterministic (no randomness, only arithmetic and
 * Math.sin of exact arguments), with values beyond [-1, 1] so the driver's clipping is
 * part of what is checked. Left: a 440 Hz sine at 0.6. Right: a 220.5 Hz saw from -1.25
 * to 1.25 (clipped at both ends). Period `k`, sample `i` of `channel` (0 left, 1 right).
 */
import { PERIOD, SAMPLE_RATE } from '../../session/audio_out/stream.js';

export function testSample(channel: number, k: number, i: number): number {
  const n = k * PERIOD + i;
  if (channel === 0) return 0.6 * Math.sin((2 * Math.PI * 440 * (n % SAMPLE_RATE)) / SAMPLE_RATE);
  const saw = 200; // samples per saw period (220.5 Hz)
  return -1.25 + (2.5 * (n % saw)) / saw;
}
