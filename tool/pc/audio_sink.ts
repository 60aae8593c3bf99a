/*
 * Where an emulated sound card's output goes on the host: the WAV writer of tool/run
 * --audio-out, the live display. The card calls `play` with the 16-bit stereo frames it
 * starts playing, their rate and the TSC at which the first of them sounds.
 */
export { AudioChecksum } from '../../os/src/lib/audio/pcm.js';

export interface AudioSink {
  /** Interleaved stereo samples (valid during the call only). */
  play(interleaved: Int16Array, rate: number, tsc: number): void;
}

/** Several sinks behind one (the card has one output). */
export class AudioFanout implements AudioSink {
  private readonly sinks = new Set<AudioSink>();

  add(sink: AudioSink): () => void {
    this.sinks.add(sink);
    return () => this.sinks.delete(sink);
  }

  play(interleaved: Int16Array, rate: number, tsc: number): void {
    for (const s of this.sinks) s.play(interleaved, rate, tsc);
  }
}
