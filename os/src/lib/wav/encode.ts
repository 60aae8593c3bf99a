/*
 * RIFF/WAVE encoding of float channels as 16-bit PCM or 32-bit IEEE float: for generated
 * sounds (the demo's bundled tune, test files) and tests. Samples are clamped to [-1, 1];
 * 16-bit is round(sample * 32768) clamped to -32768..32767, the inverse of decode.ts's
 * division by 32768, so decoding and encoding 16-bit PCM gives the same bytes back.
 */
import { WAVE_FORMAT_IEEE_FLOAT, WAVE_FORMAT_PCM } from './decode.js';

export function encodeWav(channels: ArrayLike<number>[], rate: number, format: 'pcm16' | 'float32' = 'pcm16'): Uint8Array {
  if (channels.length === 0) throw new RangeError('encodeWav: no channels');
  const frames = channels[0]!.length;
  if (channels.some((c) => c.length !== frames)) throw new RangeError('encodeWav: channels of different lengths');
  const width = format === 'pcm16' ? 2 : 4;
  const blockAlign = channels.length * width;
  const dataLength = frames * blockAlign;
  const bytes = new Uint8Array(44 + dataLength);
  const view = new DataView(bytes.buffer);
  const put4 = (at: number, s: string) => { for (let i = 0; i < 4; i++) bytes[at + i] = s.charCodeAt(i); };
  put4(0, 'RIFF');
  view.setUint32(4, 36 + dataLength, true);
  put4(8, 'WAVE');
  put4(12, 'fmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, format === 'pcm16' ? WAVE_FORMAT_PCM : WAVE_FORMAT_IEEE_FLOAT, true);
  view.setUint16(22, channels.length, true);
  view.setUint32(24, rate, true);
  view.setUint32(28, rate * blockAlign, true);
  view.setUint16(32, blockAlign, true);
  view.setUint16(34, width * 8, true);
  put4(36, 'data');
  view.setUint32(40, dataLength, true);
  let at = 44;
  for (let f = 0; f < frames; f++) {
    for (const c of channels) {
      const v = Math.max(-1, Math.min(1, c[f]!));
      if (format === 'pcm16') view.setInt16(at, Math.max(-32768, Math.min(32767, Math.round(v * 32768))), true);
      else view.setFloat32(at, v, true);
      at += width;
    }
  }
  return bytes;
}
