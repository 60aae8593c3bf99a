/*
 * The hostile tests' packet-stream client: it writes the stream's shared memory itself
 * instead of using the client library, so it can forge descriptors and scribble on queue
 * indices. It keeps the honest part (signals both ways, collecting acknowledgements) in one
 * place for the Block and File_system attackers.
 */
import type { Capability } from '../../../../base/src/capability.js';
import type { Env } from '../../../../base/src/lib/env.js';
import { Dataspace } from '../../../../base/src/session/dataspace/session.js';
import type { SignalContext } from '../../../../base/src/session/signal/session.js';
import { PacketDescriptorQueue, type DescriptorCodec } from '../../lib/packet_stream/queue.js';
import { streamLayout, type StreamLayout } from '../../lib/packet_stream/stream.js';
import type { TimerConnection } from '../../session/timer/connection.js';

/** The stream side of a session with one packet stream (Genode's Packet_stream_tx). */
export interface TxStreamSession {
  dataspace(): Promise<Capability<Dataspace>>;
  packetAvail(): Promise<Capability<SignalContext>>;
  readyToAck(): Promise<Capability<SignalContext>>;
  sighAckAvail(sigh: Capability<SignalContext>): Promise<void>;
  sighReadyToSubmit(sigh: Capability<SignalContext>): Promise<void>;
}

export interface RawStream<P> {
  /** The whole shared dataspace: queues and bulk buffer. */
  readonly mem: Uint8Array;
  readonly size: number;
  readonly layout: StreamLayout;
  readonly submitQueue: PacketDescriptorQueue<P>;
  readonly ackQueue: PacketDescriptorQueue<P>;
  /** The queues' head and tail indices, as the server reads them from shared memory. */
  readonly submitIndices: Int32Array;
  readonly ackIndices: Int32Array;
  readonly packetAvail: Capability<SignalContext>;
  readonly readyToAck: Capability<SignalContext>;
  /** Puts the packets into the submit queue at once (one batch for the server) and signals it. */
  submit(...packets: P[]): Promise<void>;
  /** Waits for `n` acknowledgements (giving up after `ms` of silence) and returns those that came. */
  collect(n: number, ms?: number): Promise<P[]>;
}

export async function openRawStream<P>(env: Env, timer: TimerConnection, s: TxStreamSession, slots: number, codec: DescriptorCodec<P>): Promise<RawStream<P>> {
  const ds = await s.dataspace();
  const size = await env.rpc(Dataspace, ds).size();
  const mem = env.view(await env.attach(ds), size);
  const layout = streamLayout(size, slots, codec);
  const submitQueue = new PacketDescriptorQueue(mem, layout.submitQueue, layout.queueSlots, codec, 'producer');
  const ackQueue = new PacketDescriptorQueue(mem, layout.ackQueue, layout.queueSlots, codec, 'consumer');
  const packetAvail = await s.packetAvail();
  const readyToAck = await s.readyToAck();
  let wake: (() => void) | undefined;
  const onSignal = () => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  await s.sighAckAvail((await env.signalHandler(onSignal)).cap);
  await s.sighReadyToSubmit((await env.signalHandler(onSignal)).cap);
  const acks: P[] = [];
  const drain = () => {
    for (let r = ackQueue.get(); r; r = ackQueue.get()) {
      acks.push(r.d);
      if (r.wasFull) void env.submit(readyToAck);
    }
  };
  return {
    mem,
    size,
    layout,
    submitQueue,
    ackQueue,
    submitIndices: new Int32Array(mem.buffer, mem.byteOffset + layout.submitQueue, 2),
    ackIndices: new Int32Array(mem.buffer, mem.byteOffset + layout.ackQueue, 2),
    packetAvail,
    readyToAck,
    submit: (...packets) => {
      if (submitQueue.addAll(packets).added !== packets.length) throw new Error('submit queue full');
      return env.submit(packetAvail);
    },
    collect: async (n, ms = 2000) => {
      for (;;) {
        drain();
        if (acks.length >= n) return acks.splice(0, n);
        const signalled = new Promise<boolean>((r) => { wake = () => r(true); });
        if (!(await Promise.race([signalled, timer.msleep(ms).then(() => false)]))) {
          drain();
          return acks.splice(0, acks.length);
        }
      }
    },
  };
}
