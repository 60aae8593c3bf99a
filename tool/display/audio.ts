/*
 * The sound card's output for the live display: the card's host-side sink hands every
 * played period here (interleaved stereo 16-bit), the browser fetches it with a long poll
 * (GET /audio?after=N) and schedules it in Web Audio (page.ts).
 *
 * Latency is bounded at both ends rather than letting a slow browser drift: this side
 * keeps only the newest MAX_BUFFER_MS and answers a request that fell behind by more than
 * MAX_LAG_MS with the newest MAX_LAG_MS (what lies between is skipped, and the answer says
 * how many frames); the page drops a chunk that would start more than its own bound ahead
 * of the audio clock. Frame numbers count from the card's first period, so the page knows
 * where a gap is.
 */
import type { ServerResponse } from 'node:http';
import { LongPolls } from './long_polls.js';

/** Where the samples come from: the emulated card's output (tool/pc/audio_sink.ts's AudioFanout). */
export interface AudioTap {
  /** Adds a sink the card calls with the frames it plays (interleaved left/right); returns its removal. */
  add(sink: { play(interleaved: Int16Array, rate: number, tsc: number): void }): () => void;
}

const DEFAULT_RATE = 44100;
/** The ring is sized for the highest rate a card may play. */
const MAX_RATE = 48000;

export const MAX_BUFFER_MS = 500;
export const MAX_LAG_MS = 100;
const LONG_POLL_MS = 20_000;

export class DisplayAudio {
  /** frames kept: interleaved stereo, the oldest first */
  private ring: Int16Array;
  private ringFrames = 0;
  /** the frame number after the newest one kept */
  private end = 0;
  private readonly waiting = new LongPolls(LONG_POLL_MS);
  private readonly unsubscribe: () => void;
  rate = DEFAULT_RATE;

  constructor(tap: AudioTap) {
    this.ring = new Int16Array(2 * Math.ceil((MAX_RATE * MAX_BUFFER_MS) / 1000));
    this.unsubscribe = tap.add({ play: (s, rate) => this.push(s, rate) });
  }

  private get capacity(): number {
    return this.ring.length / 2;
  }

  /** Appends played frames (the newest MAX_BUFFER_MS are kept) and answers waiting browsers. */
  push(interleaved: Int16Array, rate = this.rate): void {
    if (rate !== this.rate) {
      this.rate = rate; /* a new rate: what is kept was played at the old one */
      this.ringFrames = 0;
    }
    const frames = interleaved.length >> 1;
    const take = Math.min(frames, this.capacity);
    const src = interleaved.subarray(2 * (frames - take), 2 * frames);
    const drop = Math.max(0, this.ringFrames + take - this.capacity);
    if (drop > 0) this.ring.copyWithin(0, 2 * drop, 2 * this.ringFrames);
    this.ringFrames -= drop;
    this.ring.set(src, 2 * this.ringFrames);
    this.ringFrames += take;
    this.end += frames;
    for (const w of this.waiting.take()) this.answer(w.after, w.res);
  }

  /** GET /audio?after=N: frames after frame N, at most MAX_LAG_MS behind the newest; without N, from now on. */
  request(after: number | undefined, res: ServerResponse): void {
    after ??= Math.max(0, this.end - this.lagFrames());
    if (after < this.end) {
      this.answer(after, res);
      return;
    }
    this.waiting.add(after, res);
  }

  private answer(after: number, res: ServerResponse): void {
    const lagFrames = this.lagFrames();
    const from = Math.max(after, this.end - Math.min(this.ringFrames, lagFrames));
    const count = this.end - from;
    const start = this.ringFrames - count;
    const body = Buffer.from(this.ring.buffer, this.ring.byteOffset + 4 * start, 4 * count);
    res.writeHead(200, {
      'content-type': 'application/octet-stream', 'cache-control': 'no-store',
      'x-rate': String(this.rate), 'x-first': String(from), 'x-end': String(this.end), 'x-skipped': String(from - after),
    });
    res.end(Buffer.from(body)); /* a copy: the ring moves on */
  }

  private lagFrames(): number {
    return Math.min(this.capacity, Math.ceil((this.rate * MAX_LAG_MS) / 1000));
  }

  stop(): void {
    this.unsubscribe();
    this.waiting.endAll();
  }
}
