/*
 * RIFF/WAVE decoding: PCM integer samples of 8 (unsigned), 16, 24 and 32 bits and IEEE
 * 32-bit float (format 3, or WAVE_FORMAT_EXTENSIBLE with either subformat), any number of
 * channels, any rate. Every sample becomes a float in [-1, 1) (integers divided by 2^(bits-1),
 * floats clamped, NaN as 0), one array per channel (plain numbers: components run in
 * compartments without Float32Array).
 *
 * The file is untrusted: every chunk size is checked against the bytes that are there, and
 * every refusal is a WavError naming the field and its byte offset.
 */

export class WavError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WavError';
  }
}

export const WAVE_FORMAT_PCM = 1;
export const WAVE_FORMAT_IEEE_FLOAT = 3;
export const WAVE_FORMAT_EXTENSIBLE = 0xfffe;

/** Rates outside this range are refused as absurd (telephone 8 kHz and studio 384 kHz are in). */
export const MIN_RATE = 1000;
export const MAX_RATE = 768_000;
/** More channels than this is not a sound file but an attack on the allocator. */
export const MAX_CHANNELS = 32;

export interface WavFormat {
  format: 'pcm' | 'float';
  channels: number;
  rate: number;
  bitsPerSample: number;
  /** bytes of one frame (one sample of every channel) */
  blockAlign: number;
}

export interface Wav extends WavFormat {
  /** one array per channel, all of `frames` samples */
  samples: number[][];
  frames: number;
}

function fourcc(b: Uint8Array, at: number): string {
  return String.fromCharCode(b[at]!, b[at + 1]!, b[at + 2]!, b[at + 3]!);
}

/** The format and the data chunk's place, without decoding the samples. */
export function parseWavHeader(bytes: Uint8Array): { format: WavFormat; dataOffset: number; dataLength: number } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 12) throw new WavError(`${bytes.length} bytes is too short for a RIFF header (12)`);
  if (fourcc(bytes, 0) !== 'RIFF') throw new WavError(`no RIFF signature at offset 0 (found ${JSON.stringify(fourcc(bytes, 0))})`);
  if (fourcc(bytes, 8) !== 'WAVE') throw new WavError(`RIFF form type at offset 8 is ${JSON.stringify(fourcc(bytes, 8))}, not "WAVE"`);
  const riffSize = view.getUint32(4, true);
  /* a RIFF size past the end is a truncated file; a streaming writer's 0 or 0xffffffff is tolerated below */
  const riffEnd = riffSize === 0 || riffSize === 0xffffffff ? bytes.length : 8 + riffSize;
  if (riffEnd > bytes.length) throw new WavError(`RIFF size at offset 4 says ${riffSize} bytes, the file has ${bytes.length - 8} after the header (truncated)`);

  let format: WavFormat | undefined;
  let at = 12;
  while (at + 8 <= riffEnd) {
    const id = fourcc(bytes, at);
    const size = view.getUint32(at + 4, true);
    const body = at + 8;
    const streamingData = id === 'data' && (size === 0xffffffff || size === 0) && format !== undefined;
    if (!streamingData && body + size > riffEnd) {
      throw new WavError(`chunk "${printable(id)}" at offset ${at} says ${size} bytes, only ${riffEnd - body} are left (truncated or corrupt)`);
    }
    if (id === 'fmt ') {
      if (format) throw new WavError(`a second "fmt " chunk at offset ${at}`);
      format = parseFmt(view, body, size, at);
    } else if (id === 'data') {
      if (!format) throw new WavError(`"data" chunk at offset ${at} comes before any "fmt " chunk`);
      const length = streamingData ? riffEnd - body : size;
      return { format, dataOffset: body, dataLength: length - (length % format.blockAlign) };
    }
    at = body + size + (size & 1); /* chunks are padded to even sizes */
  }
  throw new WavError(format ? 'no "data" chunk' : 'no "fmt " chunk');
}

function printable(id: string): string {
  return id.replace(/[^\x20-\x7e]/g, '?');
}

function parseFmt(view: DataView, body: number, size: number, chunkAt: number): WavFormat {
  if (size < 16) throw new WavError(`"fmt " chunk at offset ${chunkAt} has ${size} bytes, needs at least 16`);
  let tag = view.getUint16(body, true);
  const channels = view.getUint16(body + 2, true);
  const rate = view.getUint32(body + 4, true);
  const blockAlign = view.getUint16(body + 12, true);
  const bitsPerSample = view.getUint16(body + 14, true);
  if (tag === WAVE_FORMAT_EXTENSIBLE) {
    if (size < 40) throw new WavError(`WAVE_FORMAT_EXTENSIBLE "fmt " chunk at offset ${chunkAt} has ${size} bytes, needs 40`);
    tag = view.getUint16(body + 24, true); /* the subformat GUID's first two bytes are the format tag */
  }
  let format: WavFormat['format'];
  if (tag === WAVE_FORMAT_PCM) {
    if (![8, 16, 24, 32].includes(bitsPerSample)) throw new WavError(`PCM with ${bitsPerSample} bits per sample (offset ${body + 14}) is not supported (8, 16, 24, 32)`);
    format = 'pcm';
  } else if (tag === WAVE_FORMAT_IEEE_FLOAT) {
    if (bitsPerSample !== 32) throw new WavError(`IEEE float with ${bitsPerSample} bits per sample (offset ${body + 14}) is not supported (32)`);
    format = 'float';
  } else {
    throw new WavError(`format tag ${tag} (offset ${body}) is not supported: only PCM (1) and IEEE float (3); compressed formats are not decoded`);
  }
  if (channels === 0) throw new WavError(`zero channels (offset ${body + 2})`);
  if (channels > MAX_CHANNELS) throw new WavError(`${channels} channels (offset ${body + 2}) is more than ${MAX_CHANNELS}`);
  if (rate < MIN_RATE || rate > MAX_RATE) throw new WavError(`sample rate ${rate} Hz (offset ${body + 4}) is outside ${MIN_RATE}..${MAX_RATE}`);
  const expectedAlign = channels * (bitsPerSample / 8);
  if (blockAlign !== expectedAlign) throw new WavError(`block align ${blockAlign} (offset ${body + 12}) is not ${channels} channels x ${bitsPerSample / 8} bytes = ${expectedAlign}`);
  return { format, channels, rate, bitsPerSample, blockAlign };
}

export function decodeWav(bytes: Uint8Array): Wav {
  const { format, dataOffset, dataLength } = parseWavHeader(bytes);
  const frames = dataLength / format.blockAlign;
  const view = new DataView(bytes.buffer, bytes.byteOffset + dataOffset, dataLength);
  const samples = Array.from({ length: format.channels }, () => new Array<number>(frames));
  const width = format.bitsPerSample / 8;
  for (let f = 0; f < frames; f++) {
    for (let c = 0; c < format.channels; c++) {
      const at = f * format.blockAlign + c * width;
      samples[c]![f] = readSample(view, at, format);
    }
  }
  return { ...format, samples, frames };
}

function readSample(view: DataView, at: number, format: WavFormat): number {
  if (format.format === 'float') {
    const v = view.getFloat32(at, true);
    return Number.isNaN(v) ? 0 : Math.max(-1, Math.min(1, v));
  }
  switch (format.bitsPerSample) {
    case 8:
      return (view.getUint8(at) - 128) / 128;
    case 16:
      return view.getInt16(at, true) / 32768;
    case 24: {
      const v = view.getUint8(at) | (view.getUint8(at + 1) << 8) | (view.getInt8(at + 2) << 16);
      return v / 8388608;
    }
    default:
      return view.getInt32(at, true) / 2147483648;
  }
}
