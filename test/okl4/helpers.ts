/*
 * A bare OKL4 system for the kernel tests: the kernel on an emulated PC, a root-server
 * thread, and helpers that create spaces and threads and drive their system calls from
 * the test's async code (each thread's "program" is the test itself).
 */
import { Pc } from '../../tool/pc/index.js';
import {
  Exreg, KError, NILTHREAD, PAGE_SIZE, SpaceCtrl, encodeFpage, globalId, mr,
} from '../../base-okl4/src/kernel/abi.js';
import { Okl4Kernel, ROOT_SPACE } from '../../base-okl4/src/kernel/kernel.js';
import type { Thread } from '../../base-okl4/src/kernel/thread.js';

export const ROOT_UTCB_AREA = { base: 0x40000, size: 0x40000 };
/** Every test space gets this UTCB area (one page per thread). */
export const UTCB_AREA = 0x80_0000;
export const UTCB_AREA_LOG2 = 20;

export interface TestSystem {
  pc: Pc;
  k: Okl4Kernel;
  root: Thread;
}

export async function boot(): Promise<TestSystem> {
  const pc = new Pc({ ramBytes: 16 * 1024 * 1024 });
  const k = new Okl4Kernel(pc, { kernelMemory: 1024 * 1024 });
  k.console = () => {};
  const root = await new Promise<Thread>((resolve) => k.bootRoot('root', ROOT_UTCB_AREA, resolve));
  return { pc, k, root };
}

export function newSpace(sys: TestSystem, id: number): KError {
  return sys.k.spaceControl(sys.root, id, SpaceCtrl.NEW, encodeFpage(UTCB_AREA, UTCB_AREA_LOG2, 0), `space ${id}`);
}

let nextIp = 0x1000;

/**
 * Creates thread `index` of `space` (Genode's numbering, version `version`), starts it and
 * resolves with its handle once it runs.
 */
export async function newThread(sys: TestSystem, space: number, index: number, version = 1): Promise<Thread> {
  const { k, root } = sys;
  const id = globalId((space << 5) | index, version);
  const area = space === ROOT_SPACE ? ROOT_UTCB_AREA.base : UTCB_AREA;
  const err = k.threadControl(root, id, space, root.id, NILTHREAD, area + index * PAGE_SIZE);
  if (err !== KError.OK) throw new Error(`threadControl failed: ${err}`);
  const ip = nextIp++;
  const running = new Promise<Thread>((resolve) => k.loadCode(root, space, ip, resolve));
  k.exchangeRegisters(root, id, Exreg.SET_IP | Exreg.HALT, 0, ip, 0, 0, NILTHREAD);
  return running;
}

export interface IpcResult { tag: number; from: number; words: number[]; error: number }

/** L4_Ipc with `tag` in MR0 and `words` in MR1..; resolves when the kernel returns. */
export function ipc(sys: TestSystem, self: Thread, to: number, from: number, tag: number, words: number[] = []): Promise<IpcResult> {
  self.utcb[mr(0)] = tag;
  words.forEach((w, i) => (self.utcb[mr(i + 1)] = w));
  return new Promise((resolve) => sys.k.ipc(self, to, from, (sender) => {
    const t = self.utcb[mr(0)]!;
    const u = t & 0x3f;
    resolve({ tag: t, from: sender, words: Array.from(self.utcb.subarray(mr(1), mr(1 + u))), error: self.utcb[5]! });
  }));
}

/** Lets queued continuations and the run queue run. */
export function settle(): Promise<void> {
  return new Promise((r) => setImmediate(r));
}

export { ROOT_SPACE };
