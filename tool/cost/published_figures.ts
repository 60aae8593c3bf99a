/*
 * The published IPC figures the cost model predicts (../shared/reference/ipc-figures.md),
 * each in core cycles on its own CPU, with the counted path that predicts it. These numbers
 * are checked against, never used as inputs: no charge's source may name one of them
 * (test/base/cost_model_sources.test.ts).
 */

export interface PublishedFigure {
  id: string;
  kernel: 'nova' | 'fiasco' | 'okl4';
  what: string;
  /** As published, in the publication's unit. */
  published: { value: number; unit: 'core cycles' | 'TSC ticks' };
  /** The same figure in core cycles, and how it was converted. */
  coreCycles: number;
  conversion: string;
  /** The hardware profile (base/src/cost/hardware_profiles.ts) of the publication's CPU. */
  profile: string;
  /** The kernel operations of the measured path, one iteration (as the emulated kernel counts them). */
  counts: Record<string, number>;
  /** Why those counts. */
  path: string;
  source: string;
  /** Strings that identify this figure: a charge's source must contain none of them. */
  identifiers: string[];
}

/* Genode's null RPC as the emulated kernels count it (a round trip; ipc_counts.test.ts checks it). */
export const NULL_RPC_COUNTS: Record<PublishedFigure['kernel'], Record<string, number>> = {
  nova: { syscall: 2, capLookup: 1, asSwitch: 2, wordCopy: 2 },
  fiasco: { syscall: 2, capLookup: 1, threadSwitch: 2, asSwitch: 2, wordCopy: 6 },
  okl4: { syscall: 2, tidLookup: 3, asSwitch: 2, mrCopy: 8 },
};

const half = (c: Record<string, number>) => Object.fromEntries(Object.entries(c).map(([k, v]) => [k, v / 2]));
const without = (c: Record<string, number>, op: string) => Object.fromEntries(Object.entries(c).filter(([k]) => k !== op));

/** L4Re's N100 page gives TSC ticks and unhalted core clocks side by side; 1395 / 392 = 3.56 core cycles per tick. */
const N100_CONVERSION = 'L4Re\'s page lists the unhalted core clocks beside the TSC ticks; that column is used (about 3.56 core cycles per TSC tick on the N100)';

export const PUBLISHED_FIGURES: readonly PublishedFigure[] = [
  {
    id: 'nova-oneway',
    kernel: 'nova',
    what: 'one-way IPC between two PDs',
    published: { value: 288, unit: 'core cycles' },
    coreCycles: 288,
    conversion: 'none: published in core cycles',
    profile: 'bloomfield-x86_32',
    counts: half(NULL_RPC_COUNTS.nova),
    path: 'half of a null RPC round trip (the figure is half a ping-pong round trip)',
    source: 'Steinberg & Kauer, EuroSys 2010, as tabulated in Elphinstone & Heiser, SOSP 2013, Table 1 and trustworthy.systems\' comparative table',
    identifiers: ['288', 'Steinberg', 'EuroSys 2010', 'SOSP 2013', 'From L3 to seL4', 'comparative'],
  },
  {
    id: 'fiasco-inter',
    kernel: 'fiasco',
    what: 'one IPC between two tasks',
    published: { value: 392, unit: 'TSC ticks' },
    coreCycles: 1395,
    conversion: N100_CONVERSION,
    profile: 'n100-x86_64',
    counts: half(NULL_RPC_COUNTS.fiasco),
    path: 'half of a null RPC round trip (L4Re averages call/reply pairs)',
    source: 'l4re.org/perf and l4re.org/performance.html, Intel N100',
    identifiers: ['392', '1395', 'l4re.org', 'L4Re\'s'],
  },
  {
    id: 'fiasco-intra',
    kernel: 'fiasco',
    what: 'one IPC between two threads of one task',
    published: { value: 173, unit: 'TSC ticks' },
    coreCycles: 622,
    conversion: N100_CONVERSION,
    profile: 'n100-x86_64',
    counts: without(half(NULL_RPC_COUNTS.fiasco), 'asSwitch'),
    path: 'the inter-task path without the address-space switch',
    source: 'l4re.org/perf and l4re.org/performance.html, Intel N100',
    identifiers: ['173', '622', 'l4re.org', 'L4Re\'s'],
  },
  {
    id: 'fiasco-null-syscall',
    kernel: 'fiasco',
    what: 'null system call',
    published: { value: 58, unit: 'TSC ticks' },
    coreCycles: 189,
    conversion: `${N100_CONVERSION}; published as a range, 52-64 ticks and 188-190 core clocks, the midpoints are used`,
    profile: 'n100-x86_64',
    counts: { syscall: 1, capLookup: 1 },
    path: 'kernel entry, one capability lookup, kernel exit',
    source: 'l4re.org/perf and l4re.org/performance.html, Intel N100',
    identifiers: ['58', '189', '188', '190', '52-64', '188-190', 'l4re.org', 'L4Re\'s'],
  },
  {
    id: 'okl4-oneway',
    kernel: 'okl4',
    what: 'one-way IPC between two address spaces',
    published: { value: 151, unit: 'core cycles' },
    coreCycles: 151,
    conversion: 'none: published in core cycles',
    profile: 'xscale-pxa255',
    counts: half(NULL_RPC_COUNTS.okl4),
    path: 'half of a null RPC round trip',
    source: 'Elphinstone & Heiser, SOSP 2013, Table 1 and trustworthy.systems\' comparative table (a 2007 figure)',
    identifiers: ['151', 'SOSP 2013', 'From L3 to seL4', 'comparative'],
  },
];
