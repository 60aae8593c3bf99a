/*
 * Deterministic test signals for the audio scenarios, computed the same way by the test
 * sources (in the guest) and by the scenario files (on the host) that predict the card's
 * checksum: integer arithmetic and one division per sample, no Math.sin.
 *
 *   triangle  period 128 frames, amplitude 0.8 (left) / 0.7 (right)
 *   square    period 64 frames, +-0.6 (left) / +-0.5 (right), the right one half a period later

 */
import { AudioChecksum, floatToS16 } from '../../lib/audio/pcm.js';
import { PERIOD } from '../../session/audio_out/stream.js';
import { mixPeriod, type MixInput } from '../../server/mixer/mix.js';

export type SignalKind = 'triangle' | 'square';

export function signalKind(text: string, where: string): SignalKind {
  if (text === 'triangle' || text === 'square') return text;
  throw new Error(`${where}: kind "${text}" is not a test signal (triangle, square)`);
}

export function signalSample(kind: SignalKind, channel: number, frame: number): number {
  if (kind === 'triangle') {
    const p = frame % 128;
    const tri = p < 64 ? p / 32 - 1 : 3 - p / 32; /* -1..1..-1 */
    return tri * (channel === 0 ? 0.8 : 0.7);
  }
  const p = (frame + (channel === 0 ? 0 : 32)) % 64;
  return (p < 32 ? 1 : -1) * (channel === 0 ? 0.6 : 0.5);
}

/** Period `n` of a signal's channel, as the source submits it. */
export function signalPeriod(kind: SignalKind, channel: number, n: number, into: number[] = new Array<number>(PERIOD)): number[] {
  for (let i = 0; i < PERIOD; i++) into[i] = signalSample(kind, channel, n * PERIOD + i);
  return into;
}

export interface SourceSpec {
  kind: SignalKind;
  periods: number;
  volume: number;
}

/**
 * The checksum the card computes (os/src/lib/audio/pcm.ts: 16-bit frames as audio_drv
 * converts them, silent frames left out) of what the mixer makes of `sources` started in
 * the same period, by mix.ts's rule.
 */
export function expectedMix(sources: readonly SourceSpec[], outVolume = 100): AudioChecksum {
  const sum = new AudioChecksum();
  const total = Math.max(0, ...sources.map((s) => s.periods));
  const out = [new Array<number>(PERIOD).fill(0), new Array<number>(PERIOD).fill(0)];
  for (let n = 0; n < total; n++) {
    for (let ch = 0; ch < 2; ch++) {
      const inputs: MixInput[] = sources.filter((s) => n < s.periods).map((s) => ({ samples: signalPeriod(s.kind, ch, n), volume: s.volume }));
      mixPeriod(out[ch]!, inputs, outVolume);
    }
    /* the stream holds 32-bit floats: Math.fround is what the driver reads back */
    for (let i = 0; i < PERIOD; i++) sum.addFrame(floatToS16(Math.fround(out[0]![i]!)), floatToS16(Math.fround(out[1]![i]!)));
  }
  return sum;
}
