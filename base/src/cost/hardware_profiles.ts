/*
 * The hardware profiles the cost model knows: the common profile the emulated kernels run
 * on, and the CPUs the published IPC figures were measured on. Every number says where it
 * comes from; "estimate" means no measurement of that primitive on that CPU was at hand and
 * the text says what the estimate rests on. None of them is derived from an IPC figure.
 */
import type { HardwareProfile, Sourced } from './hardware_profile.js';

const cycles = (value: number, evidence: Sourced['evidence'], source: string): Sourced =>
  ({ value, unit: 'core cycles', evidence, source });

/* Shared citations (the same measurement used by more than one profile says so). */
const SKYBRIDGE_SYSCALL = 'Mi et al., "SkyBridge", EuroSys 2019, Table 1: no-op syscall/sysret round trip without KPTI on a Skylake Core i7, about 80 cycles (quoted from memory of the paper, not re-checked)';
const SKYBRIDGE_CR3 = 'Mi et al., "SkyBridge", EuroSys 2019, Table 1: a write to CR3 on a Skylake Core i7, about 186 cycles (quoted from memory of the paper, not re-checked)';
const IRQ_ESTIMATE = 'estimate: interrupt delivery through the IDT plus IRET, both serialising; taken as a few hundred cycles on any out-of-order x86';
const PIO_ESTIMATE = 'estimate: one access to the legacy 8259 PIC over LPC, on the order of 0.15 us at 3 GHz';
const IPC_ESTIMATE = 'estimate: kernel fast paths are short chains of dependent loads and serialising instructions, so about one instruction per cycle on an out-of-order x86 core';

/** The profile every kernel is compared on, and that the emulated kernels' virtual time uses. */
export const SKYLAKE_X86_64_PCID: HardwareProfile = {
  id: 'skylake-x86_64-pcid',
  arch: 'x86',
  cpu: 'Intel Core i7-6700 (Skylake), x86-64, PCID, no Meltdown mitigation',
  taggedTlb: { value: 1, unit: 'entries', evidence: 'manual', source: 'Intel SDM Vol. 3A, 4.10.1 (PCID): with CR4.PCIDE a CR3 write with bit 63 set keeps the TLB entries of other PCIDs' },
  primitives: {
    trapEntryExit: cycles(80, 'measured', SKYBRIDGE_SYSCALL),
    addressSpaceSwitch: cycles(186, 'measured', SKYBRIDGE_CR3),
    tlbRefill: cycles(20, 'estimate', 'estimate: a 4-level walk whose upper levels hit the paging-structure caches (Intel SDM Vol. 3A, 4.10.3) and whose PTE load hits L1/L2'),
    cacheLineFill: cycles(12, 'manual', 'Intel 64 and IA-32 Architectures Optimization Reference Manual, Skylake client cache parameters: L2 load-to-use latency about 12 cycles'),
    interruptEntryExit: cycles(300, 'estimate', IRQ_ESTIMATE),
    portIo: cycles(500, 'estimate', PIO_ESTIMATE),
    instruction: cycles(1, 'estimate', IPC_ESTIMATE),
  },
};

/** NOVA's published figure: Core i7 920, 2.66 GHz, x86-32; Bloomfield has no PCID. */
export const BLOOMFIELD_X86_32: HardwareProfile = {
  id: 'bloomfield-x86_32',
  arch: 'x86',
  cpu: 'Intel Core i7 920 (Bloomfield / Nehalem), 2.66 GHz, x86-32, no PCID',
  taggedTlb: { value: 0, unit: 'entries', evidence: 'manual', source: 'Intel SDM Vol. 3A, 4.10.1: PCID came with Westmere; on Nehalem a CR3 write flushes all non-global TLB entries' },
  primitives: {
    trapEntryExit: cycles(80, 'estimate', 'estimate: sysenter/sysexit taken equal to syscall/sysret on Skylake (SkyBridge, EuroSys 2019, Table 1, about 80 cycles); both are MSR-directed mode switches without IDT or descriptor loads'),
    addressSpaceSwitch: cycles(186, 'estimate', 'estimate: the CR3 write itself taken equal to Skylake\'s (SkyBridge, EuroSys 2019, Table 1, about 186 cycles); the flush it causes is charged as TLB refills'),
    tlbRefill: cycles(15, 'estimate', 'estimate: a 2-level 32-bit walk, both loads hitting L1/L2 (Nehalem L2 about 10 cycles, Intel Optimization Reference Manual, Nehalem cache parameters)'),
    cacheLineFill: cycles(10, 'manual', 'Intel 64 and IA-32 Architectures Optimization Reference Manual, Nehalem (Core i7) cache parameters: L2 latency about 10 cycles'),
    interruptEntryExit: cycles(300, 'estimate', IRQ_ESTIMATE),
    portIo: cycles(500, 'estimate', PIO_ESTIMATE),
    instruction: cycles(1, 'estimate', IPC_ESTIMATE),
  },
};

/** L4Re's published figures: Intel N100 (Gracemont E-cores), x86-64. */
export const N100_X86_64: HardwareProfile = {
  id: 'n100-x86_64',
  arch: 'x86',
  cpu: 'Intel N100 (Alder Lake-N, Gracemont), x86-64, PCID',
  taggedTlb: { value: 1, unit: 'entries', evidence: 'manual', source: 'Intel SDM Vol. 3A, 4.10.1 (PCID); Gracemont reports CPUID.01H:ECX.PCID' },
  primitives: {
    trapEntryExit: cycles(80, 'estimate', 'estimate: syscall/sysret taken equal to Skylake\'s (SkyBridge, EuroSys 2019, Table 1, about 80 cycles); no Gracemont measurement at hand'),
    addressSpaceSwitch: cycles(186, 'estimate', 'estimate: the CR3 write taken equal to Skylake\'s (SkyBridge, EuroSys 2019, Table 1, about 186 cycles)'),
    tlbRefill: cycles(25, 'estimate', 'estimate: a 4-level walk through paging-structure caches, the PTE load from the shared L2 (Gracemont L2 is slower than a big core\'s)'),
    cacheLineFill: cycles(17, 'estimate', 'estimate: Gracemont\'s L2 is shared by a 4-core module; its load-to-use latency is in the high teens (public microbenchmarks of Alder Lake E-cores), taken as 17'),
    interruptEntryExit: cycles(300, 'estimate', IRQ_ESTIMATE),
    portIo: cycles(500, 'estimate', PIO_ESTIMATE),
    instruction: cycles(1, 'estimate', IPC_ESTIMATE),
  },
};

/** OKL4's published figure: XScale PXA255, 400 MHz, ARMv5 (Genode's OKL4 port itself is x86 only). */
export const XSCALE_PXA255: HardwareProfile = {
  id: 'xscale-pxa255',
  arch: 'arm',
  cpu: 'Intel XScale PXA255, 400 MHz, ARMv5TE, virtually indexed caches, no L2',
  taggedTlb: { value: 1, unit: 'entries', evidence: 'measured', source: 'Wiggins, Tuch, Uhlig, Heiser, "Implementation of Fast Address-Space Switching and TLB Sharing on the StrongARM Processor", ACSAC 2003: ARM domains plus the FCSE PID let a switch keep TLB and cache contents (FASS); OKL4 uses it on ARMv5' },
  primitives: {
    trapEntryExit: cycles(20, 'estimate', 'estimate: SWI entry and the exception return each refill the 7-stage pipeline (Intel XScale Core Developer\'s Manual: a taken mispredicted branch costs about 5 cycles), plus the mode switch'),
    addressSpaceSwitch: cycles(12, 'estimate', 'estimate: under FASS a switch writes the domain access control register and the FCSE PID (two CP15 writes) followed by CPWAIT (Intel XScale Core Developer\'s Manual, CPWAIT)'),
    tlbRefill: cycles(30, 'estimate', 'estimate: a 2-level hardware walk, descriptors mostly from SDRAM (no L2)'),
    cacheLineFill: cycles(50, 'estimate', 'estimate: no L2; a miss goes to 100 MHz SDRAM, on the order of 50 core cycles at 400 MHz'),
    interruptEntryExit: cycles(20, 'estimate', 'estimate: IRQ exception entry and return, like a trap'),
    portIo: cycles(10, 'estimate', 'estimate: the PXA255 interrupt controller is memory mapped on the on-chip bus'),
    instruction: cycles(1.5, 'estimate', 'estimate: single-issue in-order core with 3-cycle load-use latency; kernel paths are load heavy, so about 1.5 cycles per instruction'),
  },
};

export const HARDWARE_PROFILES: readonly HardwareProfile[] = [SKYLAKE_X86_64_PCID, BLOOMFIELD_X86_32, N100_X86_64, XSCALE_PXA255];

/** The profile the kernels are compared on and whose costs drive the emulated kernels' virtual time. */
export const COMMON_PROFILE = SKYLAKE_X86_64_PCID;
