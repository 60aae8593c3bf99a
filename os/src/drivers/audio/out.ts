/*
 * What audio_drv plays each period (Genode's Audio_out::Out of the bsd audio driver): the
 * packets at the positions of the "left" and "right" sessions, converted from float to
 * 16-bit with clipping and interleaved. Unlike Genode's driver, a channel whose client has
 * nothing is not allowed to hold the other one back for long: while one started channel
 * has a packet and the other started one has none, the period is silence for up to
 * HOLD_PERIODS periods (so two packets a client submits one after the other still play
 * together), then the ready channel plays alone and the empty one gets silence; the empty
 * one holds nothing back any more until it has a packet again. A client that stops
 * feeding, or feeds garbage, thus costs only its own channel.
 */
import { AudioOutSessionComponent } from '../../session/audio_out/session_component.js';
import { PERIOD } from '../../session/audio_out/stream.js';
import { floatToS16 } from '../../lib/audio/pcm.js';

export const HOLD_PERIODS = 2;

export class AudioOut {
  /** The sessions of channel 0 (left) and 1 (right). */
  readonly channels: (AudioOutSessionComponent | undefined)[] = [undefined, undefined];
  private held = 0;
  /** Channels whose hold ran out: they hold nothing back until they have a packet again. */
  private readonly starved = [false, false];
  private readonly scratch: number[][] = [new Array<number>(PERIOD).fill(0), new Array<number>(PERIOD).fill(0)];
  readonly stats = { periods: 0, silent: 0, holds: 0 };

  /** Some channel's client has a packet at its position (the card has something to play). */
  pending(): boolean {
    return this.channels.some((s) => s?.take() !== undefined);
  }

  /**
   * Fills `into` (PERIOD interleaved stereo frames) with the next period. False for a
   * period held for a waiting channel: holds count periods of play, so the card must play
   * it before the next fill (a card resuming from a halt queues several periods at once).
   */
  fill(into: Int16Array): boolean {
    this.stats.periods++;
    const packets = this.channels.map((s) => s?.take());
    for (let c = 0; c < 2; c++) if (packets[c]) this.starved[c] = false;
    const waiting = this.channels.map((s, c) => s !== undefined && s.active && packets[c] === undefined && !this.starved[c]);
    const ready = packets.some((p) => p !== undefined);
    if (ready && waiting.some(Boolean)) {
      if (this.held < HOLD_PERIODS) {
        this.held++;
        this.stats.holds++;
        into.fill(0);
        return false;
      }
      for (let c = 0; c < 2; c++) if (waiting[c]) this.starved[c] = true;
    }
    this.held = 0;
    if (!ready) {
      this.stats.silent++;
      for (const s of this.channels) s?.underrun();
      into.fill(0);
      return true;
    }
    for (let c = 0; c < 2; c++) {
      const samples = AudioOutSessionComponent.samples(packets[c], this.scratch[c]!);
      for (let i = 0; i < PERIOD; i++) into[2 * i + c] = floatToS16(samples[i]!);
    }
    for (let c = 0; c < 2; c++) {
      const s = this.channels[c];
      const p = packets[c];
      if (!s) continue;
      if (p) s.played(p);
      else s.underrun();
    }
    for (const s of this.channels) s?.progressSubmit();
    return true;
  }
}
