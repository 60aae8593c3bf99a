/*
 * Deterministic test signals for the audio scenarios, computed the same way by the test
 * sources (in the guest) and by the scenario files (on the host) that predict the card's
 * checksum: integer arithmetic and one division per sample, no Math.sin.
 *
 *   triangle  period 100 frames, amplitude 0.8 (left) / 0.7 (right)
 *   square    period 64 frames, +-0.6 (left) / +-0.5 (right), the right one half a period later
 */
import { crc32 } from '../../server/part_block/table.js';
import { PERIOD } from '../../session/audio_out/stream.js';
import { mixPeriod, type MixInput } from '../../server/mixer/mix.js';

export type SignalKind = 'triangle' | 'square';

export function signalSample(kind: SignalKind, channel: number, frame: number): number {
  if (kind === 'triangle') {
    const p = frame % 100;
    const tri = p < 50 ? p / 25 - 1 : 3 - p / 25; /* -1..1..-1 */
    return tri * (channel === 0 ? 0.8 : 0.7);
  }
  const p = (frame + (channel === 0 ? 0 : 32)) % 64;
  return (p < 32 ? 1 : -1) * (channel === 0 ? 0.6 : 0.5);
}

/** Period `n` of a signal's channel, as the source submits it. */
export function signalPeriod(kind: SignalKind, channel: number, n: number, into: Float32Array<ArrayBufferLike> = new Float32Array(PERIOD)): Float32Array<ArrayBufferLike> {
  for (let i = 0; i < PERIOD; i++) into[i] = signalSample(kind, channel, n * PERIOD + i);
  return into;
}

/** Running checksum of played periods: CRC-32 over the left then the right period's float32 bytes. */
export class PeriodChecksum {
  crc = 0;
  periods = 0;

  add(left: Float32Array, right: Float32Array): void {
    this.crc = crc32(new Uint8Array(left.buffer, left.byteOffset, left.byteLength), this.crc);
    this.crc = crc32(new Uint8Array(right.buffer, right.byteOffset, right.byteLength), this.crc);
    this.periods++;
  }

  toString(): string {
    return `${this.periods} periods, crc32 0x${this.crc.toString(16).padStart(8, '0')}`;
  }
}

export interface SourceSpec {
  kind: SignalKind;
  periods: number;
  volume: number;
}

/** What a mixer makes of sources that start in the same period (mix.ts's rule), as the sink would sum it. */
export function expectedMix(sources: SourceSpec[], outVolume = 100): PeriodChecksum {
  const sum = new PeriodChecksum();
  const total = Math.max(...sources.map((s) => s.periods));
  const out = [new Float32Array(PERIOD), new Float32Array(PERIOD)];
  for (let n = 0; n < total; n++) {
    for (let ch = 0; ch < 2; ch++) {
      const inputs: MixInput[] = sources.filter((s) => n < s.periods).map((s) => ({ samples: signalPeriod(s.kind, ch, n), volume: s.volume }));
      mixPeriod(out[ch]!, inputs, outVolume);
    }
    sum.add(out[0]!, out[1]!);
  }
  return sum;
}
