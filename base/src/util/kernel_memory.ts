/*
 * How much of the emulated machine's RAM a kernel keeps for itself (its objects and the
 * UTCBs): an eighth, at least 4 MiB, a whole number of pages. It scales with the machine,
 * as the real kernels size their kernel memory at boot from the memory map, so a machine
 * built for 10,000 components has room for their threads.
 */
const PAGE = 4096;
const MIN_KERNEL_MEMORY = 4 * 1024 * 1024;

export function defaultKernelMemory(ramBytes: number): number {
  return Math.max(MIN_KERNEL_MEMORY, Math.floor(ramBytes / 8 / PAGE) * PAGE);
}
