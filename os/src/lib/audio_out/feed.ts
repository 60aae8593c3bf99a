/*
 * Feeding a set of Audio_out sessions (one per channel) in lockstep, as Genode's clients
 * do: allocate a packet per channel at the tail, fill, submit; when a queue is full, wait
 * for its alloc signal (no polling); at the end wait for progress signals until the server
 * took every packet.
 */
import { AudioOutConnection } from '../../session/audio_out/connection.js';
import { AllocFailed, type AudioOutPacket } from '../../session/audio_out/stream.js';

/** The packet at the tail, after waiting for the alloc signal while the queue is full. */
export async function allocWaiting(c: AudioOutConnection): Promise<AudioOutPacket> {
  for (;;) {
    const seen = c.allocCount;
    try {
      return c.stream.alloc();
    } catch (e) {
      if (!(e instanceof AllocFailed)) throw e;
      await c.waitForAlloc(seen);
    }
  }
}

/** Submits `periods` periods; `fill(n, channel, packet)` writes period n of a channel. */
export async function feedPeriods(
  channels: AudioOutConnection[],
  periods: number,
  fill: (n: number, channel: number, packet: AudioOutPacket) => void,
): Promise<void> {
  for (let n = 0; n < periods; n++) {
    const packets: AudioOutPacket[] = [];
    for (let ch = 0; ch < channels.length; ch++) {
      const p = await allocWaiting(channels[ch]!);
      fill(n, ch, p);
      packets.push(p);
    }
    await AudioOutConnection.submitTogether(channels, packets);
  }
}

/** Waits (on progress signals of `c`, which needs progressSignal: true) until its server took every packet. */
export async function drained(c: AudioOutConnection): Promise<void> {
  for (;;) {
    const seen = c.progressCount;
    if (c.stream.empty()) return;
    await c.waitForProgress(seen);
  }
}
