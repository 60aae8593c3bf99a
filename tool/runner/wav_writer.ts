/*
 * tool/run --audio-out: the sound card's output as a WAV file (RIFF, PCM format 1, 16-bit
 * stereo at the card's rate, 44.1 kHz as audio_drv sets it). The header goes first with
 * sizes of zero and is rewritten with the real sizes when the run ends, so an interrupted
 * run still leaves a file players accept up to what was written. Samples are buffered and
 * written in blocks.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import type { AudioSink } from '../pc/audio_sink.js';

export const WAV_HEADER_BYTES = 44;
const FLUSH_BYTES = 64 * 1024;
/** RIFF sizes are 32 bit: the data stops growing at the largest whole frame count below 4 GiB. */
const MAX_DATA_BYTES = 0xffffffff - (WAV_HEADER_BYTES - 8) - 3;

/** The 44-byte header of a PCM WAV file with `dataBytes` of samples. */
export function wavHeader(dataBytes: number, rate: number, channels = 2, bits = 16): Uint8Array {
  const h = new Uint8Array(WAV_HEADER_BYTES);
  const v = new DataView(h.buffer);
  const ascii = (at: number, s: string) => { for (let i = 0; i < s.length; i++) h[at + i] = s.charCodeAt(i); };
  const blockAlign = channels * (bits / 8);
  ascii(0, 'RIFF');
  v.setUint32(4, WAV_HEADER_BYTES - 8 + dataBytes, true);
  ascii(8, 'WAVE');
  ascii(12, 'fmt ');
  v.setUint32(16, 16, true); // fmt chunk size
  v.setUint16(20, 1, true); // PCM
  v.setUint16(22, channels, true);
  v.setUint32(24, rate, true);
  v.setUint32(28, rate * blockAlign, true);
  v.setUint16(32, blockAlign, true);
  v.setUint16(34, bits, true);
  ascii(36, 'data');
  v.setUint32(40, dataBytes, true);
  return h;
}

export class WavFileWriter implements AudioSink {
  private readonly fd: number;
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;
  private dataBytes = 0;
  private rate: number | undefined;
  private closed = false;
  /** Chunks at a rate other than the file's (written anyway: a WAV file has one rate). */
  otherRate = 0;
  /** Frames not written because the file reached the 4 GiB limit of RIFF. */
  dropped = 0;

  constructor(readonly path: string) {
    this.fd = openSync(path, 'w');
    writeSync(this.fd, wavHeader(0, 44100));
  }

  play(interleaved: Int16Array, rate: number, _tsc?: number): void {
    if (this.closed) return;
    this.rate ??= rate;
    if (rate !== this.rate) this.otherRate++;
    let bytes = new Uint8Array(interleaved.buffer.slice(interleaved.byteOffset, interleaved.byteOffset + interleaved.length * 2));
    const room = MAX_DATA_BYTES - this.dataBytes - this.pendingBytes;
    if (bytes.length > room) {
      this.dropped += (bytes.length - room) / 4;
      bytes = bytes.subarray(0, room - (room % 4));
    }
    this.pending.push(bytes);
    this.pendingBytes += bytes.length;
    if (this.pendingBytes >= FLUSH_BYTES) this.flush();
  }

  private flush(): void {
    for (const b of this.pending) writeSync(this.fd, b);
    this.dataBytes += this.pendingBytes;
    this.pending = [];
    this.pendingBytes = 0;
  }

  /** Frames written so far (including those still buffered). */
  get frames(): number {
    return (this.dataBytes + this.pendingBytes) / 4;
  }

  /** Writes what is buffered and the final header; returns what happened, for tool/run's report. */
  close(): string {
    if (this.closed) return '';
    this.flush();
    this.closed = true;
    const rate = this.rate ?? 44100;
    writeSync(this.fd, wavHeader(this.dataBytes, rate), 0, WAV_HEADER_BYTES, 0);
    closeSync(this.fd);
    const notes = [
      this.otherRate ? `${this.otherRate} chunk(s) played at another rate than ${rate} Hz are in it at ${rate} Hz` : '',
      this.dropped ? `${this.dropped} frames beyond the 4 GiB limit of WAV left out` : '',
    ].filter(Boolean);
    return `${this.frames} frames (${(this.frames / rate).toFixed(2)} s) of 16-bit stereo at ${rate} Hz written to ${this.path}${notes.length ? `; ${notes.join('; ')}` : ''}`;
  }
}
