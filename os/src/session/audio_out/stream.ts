/*
 * The Audio_out stream (Genode's Audio_out::Stream): a ring of QUEUE_SIZE packets of PERIOD
 * float samples in a dataspace the client and the server share. Samples never go through
 * RPC. Layout (little-endian):
 *
 *   0                      u32 pos   playback position, written by the server only
 *   4                      u32 tail  allocation position, written by the client only
 *   8 + i * PACKET_BYTES   packet i: u8 valid, u8 wait_for_play, 2 bytes padding,
 *                                    f32 samples[PERIOD]
 *
 * The client allocates packets at the tail, fills them and submits them (valid); the
 * server plays the packet at its position when it is valid, invalidates it, marks it
 * played and moves its position on. Either side can scribble on the shared memory, so
 * every index read from it is reduced modulo QUEUE_SIZE before use (AudioOutStream), and
 * the server keeps its own position instead of reading it back (AudioOutServerStream).
 */

export const QUEUE_SIZE = 256;
export const SAMPLE_RATE = 44100;
/** Samples per period (~11.6 ms at 44.1 kHz). */
export const PERIOD = 512;
export const SAMPLE_SIZE = 4;
export const PACKET_HEADER_BYTES = 4;
export const PACKET_BYTES = PACKET_HEADER_BYTES + PERIOD * SAMPLE_SIZE;
export const STREAM_HEADER_BYTES = 8;
/** Bytes of the shared stream (Genode's sizeof(Stream)). */
export const STREAM_BYTES = STREAM_HEADER_BYTES + QUEUE_SIZE * PACKET_BYTES;

const POS = 0;
const TAIL = 4;

/** Thrown by `alloc` when the queue is full (Genode's Stream::Alloc_failed). */
export class AllocFailed extends Error {
  constructor() {
    super('Audio_out stream: queue is full');
    this.name = 'AllocFailed';
  }
}

/**
 * One packet of the stream, a window onto the shared memory. Samples are read and written
 * through a DataView (little-endian float32): components run in compartments without
 * Float32Array.
 */
export class AudioOutPacket {
  private readonly header: number;
  private readonly data: number;

  constructor(
    private readonly memory: Uint8Array,
    private readonly view: DataView,
    /** Index in the queue (0..QUEUE_SIZE-1). */
    readonly index: number,
  ) {
    this.header = STREAM_HEADER_BYTES + index * PACKET_BYTES;
    this.data = this.header + PACKET_HEADER_BYTES;
  }

  /** Copies `data` in; fewer than PERIOD samples are followed by silence. */
  content(data: ArrayLike<number>): void {
    const n = Math.min(data.length, PERIOD);
    for (let i = 0; i < n; i++) this.view.setFloat32(this.data + i * SAMPLE_SIZE, data[i]!, true);
    for (let i = n; i < PERIOD; i++) this.view.setFloat32(this.data + i * SAMPLE_SIZE, 0, true);
  }

  /** Sample `i` (0..PERIOD-1) as stored (float32 precision). */
  sample(i: number): number {
    return this.view.getFloat32(this.data + (i % PERIOD) * SAMPLE_SIZE, true);
  }

  setSample(i: number, v: number): void {
    this.view.setFloat32(this.data + (i % PERIOD) * SAMPLE_SIZE, v, true);
  }

  /** All PERIOD samples, into `into` (a new array by default). */
  samples(into: number[] = new Array<number>(PERIOD)): number[] {
    for (let i = 0; i < PERIOD; i++) into[i] = this.view.getFloat32(this.data + i * SAMPLE_SIZE, true);
    return into;
  }

  /** True while the packet was submitted and not processed by the server yet. */
  get valid(): boolean {
    return this.memory[this.header] !== 0;
  }

  /** True once the packet was played (or never submitted). */
  get played(): boolean {
    return this.memory[this.header + 1] === 0;
  }

  /* client side */
  markSubmitted(): void {
    this.memory[this.header] = 1;
    this.memory[this.header + 1] = 1;
  }

  markAllocated(): void {
    this.memory[this.header] = 0;
    this.memory[this.header + 1] = 0;
  }

  /* server side */
  invalidate(): void {
    this.memory[this.header] = 0;
  }

  markAsPlayed(): void {
    this.memory[this.header + 1] = 0;
  }
}

/** The stream as both sides see it (Genode's Audio_out::Stream). */
export class AudioOutStream {
  private readonly view: DataView;
  private readonly packets: AudioOutPacket[];

  constructor(readonly memory: Uint8Array) {
    if (memory.length < STREAM_BYTES) throw new Error(`Audio_out stream: ${memory.length} bytes of shared memory, ${STREAM_BYTES} needed`);
    this.view = new DataView(memory.buffer, memory.byteOffset, STREAM_BYTES);
    this.packets = Array.from({ length: QUEUE_SIZE }, (_, i) => new AudioOutPacket(memory, this.view, i));
  }

  /** Current playback position (as the server last wrote it), always < QUEUE_SIZE. */
  pos(): number {
    return this.view.getUint32(POS, true) % QUEUE_SIZE;
  }

  /** Current allocation position, always < QUEUE_SIZE. */
  tail(): number {
    return this.view.getUint32(TAIL, true) % QUEUE_SIZE;
  }

  /** The raw words, for tests and for servers that report scribbling. */
  rawPos(): number {
    return this.view.getUint32(POS, true);
  }

  rawTail(): number {
    return this.view.getUint32(TAIL, true);
  }

  protected setPos(p: number): void {
    this.view.setUint32(POS, p % QUEUE_SIZE, true);
  }

  protected setTail(t: number): void {
    this.view.setUint32(TAIL, t % QUEUE_SIZE, true);
  }

  /** Packets between the playback and the allocation position. */
  queued(): number {
    return queuedBetween(this.pos(), this.tail());
  }

  /** The packet at `pos` (any unsigned number, taken modulo QUEUE_SIZE). */
  get(pos: number): AudioOutPacket {
    return this.packets[(((Math.trunc(pos) % QUEUE_SIZE) + QUEUE_SIZE) % QUEUE_SIZE)]!;
  }

  /** The successor of `packet`, or of the current position. */
  next(packet?: AudioOutPacket): AudioOutPacket {
    return this.get((packet ? packet.index : this.pos()) + 1);
  }

  packetPosition(packet: AudioOutPacket): number {
    return packet.index;
  }

  /** No packet waits for the server. */
  empty(): boolean {
    return this.packets.every((p) => !p.valid);
  }

  full(): boolean {
    return (this.tail() + 1) % QUEUE_SIZE === this.pos();
  }

  /** Allocates the packet at the tail (client side). */
  alloc(): AudioOutPacket {
    if (this.full()) throw new AllocFailed();
    const p = this.get(this.tail());
    this.setTail(this.tail() + 1);
    p.markAllocated();
    return p;
  }

  /** Allocation starts again at the playback position. */
  reset(): void {
    this.setTail(this.pos());
  }

  invalidateAll(): void {
    for (const p of this.packets) p.invalidate();
  }
}

export function queuedBetween(pos: number, tail: number): number {
  if (tail > pos) return tail - pos;
  if (pos > tail) return QUEUE_SIZE - (pos - tail);
  return 0;
}

/**
 * The server's side of a stream: the playback position lives here and is only written to
 * the shared memory, never read back, so a client that scribbles on it cannot make the
 * server skip or replay packets beyond what a stream of its own packets could.
 */
export class AudioOutServerStream extends AudioOutStream {
  private position = 0;

  constructor(memory: Uint8Array) {
    super(memory);
    this.setPos(0);
    this.setTail(0);
  }

  override pos(): number {
    return this.position;
  }

  /** Sets the playback position (e.g. a mixer following another stream). */
  setPosition(p: number): void {
    this.position = ((Math.trunc(p) % QUEUE_SIZE) + QUEUE_SIZE) % QUEUE_SIZE;
    this.setPos(this.position);
  }

  incrementPosition(): void {
    this.setPosition(this.position + 1);
  }

  /** The packet at the playback position if the client submitted it. */
  current(): AudioOutPacket | undefined {
    const p = this.get(this.position);
    return p.valid ? p : undefined;
  }
}
