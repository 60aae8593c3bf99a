/*
 * 16-bit PCM as the sound card plays it: the float -> int16 conversion of Genode's audio
 * drivers (clamped to [-1, 1], times 32767, truncated; NaN is silence), and a running
 * checksum of stereo frames that the card (tool/pc/ac97.ts), the test source and the WAV
 * writer compute alike. Silent frames (both channels 0) are left out of the checksum, so
 * the silence a driver plays while a client has nothing queued does not change it: equal
 * checksums mean the audible samples arrived unchanged and in order.
 */

export function floatToS16(v: number): number {
  if (!(v === v)) return 0; // NaN
  const c = v > 1 ? 1 : v < -1 ? -1 : v;
  return Math.trunc(c * 32767);
}

/** What a checksum covers: both channels, or one of them (the other ignored). */
export type ChecksumChannels = 'stereo' | 'left' | 'right';

export class AudioChecksum {
  /** Stereo frames seen in all, and the audible ones among them. */
  frames = 0;
  audible = 0;
  private h = 0x811c9dc5;

  constructor(readonly channels: ChecksumChannels = 'stereo') {}

  /** One stereo frame. */
  addFrame(left: number, right: number): void {
    this.frames++;
    if (this.channels === 'left') right = 0;
    else if (this.channels === 'right') left = 0;
    if (left === 0 && right === 0) return;
    this.audible++;
    this.h = Math.imul(this.h ^ (((left & 0xffff) | ((right & 0xffff) << 16)) >>> 0), 0x01000193) >>> 0;
    this.h = (this.h ^ (this.h >>> 15)) >>> 0;
  }

  /** Interleaved stereo samples (left, right, left, ...). */
  add(interleaved: Int16Array): void {
    for (let i = 0; i + 1 < interleaved.length; i += 2) this.addFrame(interleaved[i]!, interleaved[i + 1]!);
  }

  get value(): number {
    return this.h;
  }

  /** "<channels>: <audible> frames, checksum <8 hex digits>", the form scenarios match (AUDIO_CHECK_LINE). */
  toString(): string {
    return `${this.channels}: ${this.audible} frames, checksum ${this.h.toString(16).padStart(8, '0')}`;
  }
}

/**
 * What a test source logs when it has played its signal: "audio check <channels>: <n>
 * frames, checksum <hex>". tool/run then waits for the card to play that many audible
 * frames and compares (tool/runner/machine_script.ts).
 */
export const AUDIO_CHECK_LINE = /audio check (stereo|left|right): (\d+) frames, checksum ([0-9a-f]{8})/;

export function parseAudioCheck(line: string): { channels: ChecksumChannels; frames: number; checksum: number } | undefined {
  const m = AUDIO_CHECK_LINE.exec(line);
  return m ? { channels: m[1] as ChecksumChannels, frames: Number(m[2]), checksum: parseInt(m[3]!, 16) } : undefined;
}
