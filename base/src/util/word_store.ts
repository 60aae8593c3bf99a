/*
 * Word stores for the emulated kernels' IPC paths (UTCB and message-register writes).
 *
 * In the locked-down realm (base/src/loader/lockdown.ts) a store into a typed array takes
 * V8's slow path: lockdown freezes Object.prototype and %TypedArray%.prototype, and with a
 * frozen object on its prototype chain every indexed store is checked the long way, about
 * 30 ns instead of 1. Loads are not affected, nor are a DataView's stores; so the kernels
 * write words through a DataView over the same memory, in the host's byte order (the
 * order the Uint32Array views read them in). Indices must lie within the view.
 */
const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

export class WordStore {
  private readonly view: DataView;

  constructor(words: Uint32Array) {
    this.view = new DataView(words.buffer, words.byteOffset, words.byteLength);
  }

  /** words[i] = v (v taken modulo 2^32, as a Uint32Array store does). */
  set(i: number, v: number): void {
    this.view.setUint32(i << 2, v, HOST_LITTLE_ENDIAN);
  }
}
