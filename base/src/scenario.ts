/*
 * Run scenarios (Genode's run scripts): what to boot, init's config, and how to judge the
 * output. Each lives in <repo>/run/<name>.ts and default-exports `scenario({...})`.
 */

export interface ScenarioSpec {
  /** One line saying what the scenario checks. */
  description: string;
  /** Binary boot modules besides init. */
  modules: string[];
  /** init's config. */
  config: string;
  /** Further data ROM modules by name: text, or bytes (e.g. a generated disk image). */
  roms?: Record<string, string | Uint8Array>;
  /** The run succeeds when each of these matched some output line (in any order). */
  succeed: RegExp | RegExp[];
  /** The run fails as soon as the output matches this. */
  fail?: RegExp;
  /** Time limit, e.g. "10s": virtual time on the emulated kernels, real time on linux. */
  timeout: string;
  /** Physical RAM of the emulated machine in MiB. */
  ramMiB?: number;
  /**
   * Storage of the emulated machine, as images the scenario generates: SATA disks on the
   * AHCI's ports 0.. in order (whole 512-byte blocks) and the ATAPI CD's medium (2048-byte
   * blocks) on the port after them. Every run gets a fresh copy; `tool/run --disk` and
   * `--cdrom` replace them with host files.
   */
  disks?: Uint8Array[];
  cdrom?: Uint8Array;
  /**
   * Network cards of the emulated machine (e1000, at most two) and their wire: `loopback`
   * joins the two cards of the machine with a cable, `none` leaves them unplugged (link
   * down). `tool/run --nic` replaces the wire (and adds the cards it needs).
   */
  network?: { cards: number; wire?: NicWire };
  /**
   * An Intel ICH AC'97 sound card in the emulated machine (00:07.0). A component's line
   * "audio check <channels>: <n> frames, checksum <hex>" then makes tool/run wait for the
   * card to play n audible frames and compare their checksum ("[ac97] ..." lines).
   */
  audio?: boolean;
  /** Device input tool/run performs on the emulated machine, each entry once, in order. */
  input?: MachineInput[];
  /** Show the bytes the machine's serial port (COM1) sends as "[uart] ..." output lines. */
  serialOutput?: boolean;
  /** SHA-256 (hex) the visible framebuffer must have once the success patterns matched. */
  framebufferHash?: string;
  /**
   * A scenario to be used rather than judged (Genode's run_genode_until forever): tool/run
   * serves the live web display and keeps it running; with --headless the run ends once
   * the success patterns matched (booted).
   */
  interactive?: boolean;
}

/** Input at the emulated machine's devices, performed when a line of output matches `after`. */
export interface MachineInput {
  after: RegExp;
  /** PS/2 keyboard: keys tapped by name ("a", "Enter", "ShiftLeft"); "+Name" presses, "-Name" releases. */
  keys?: string[];
  /** PS/2 mouse, in order: relative motion (dy > 0 is down), the pressed buttons (bit 0 left, 1 right, 2 middle), wheel steps. */
  mouse?: MouseAction[];
  /** Bytes arriving at the serial port COM1 (text as UTF-8). */
  serial?: string;
  /** The cable of the network cards: pulled out of every card, or plugged back in. */
  cable?: 'unplug' | 'plug';
}

export type MouseAction = { move: [number, number] } | { buttons: number } | { wheel: number };

export interface Scenario extends ScenarioSpec {
  readonly timeoutMs: number;
  readonly patterns: RegExp[];
}

/** How tool/run wires the machine's network cards (`--nic`). */
export type NicWire = 'none' | 'loopback' | 'tap';
export const NIC_WIRES: readonly NicWire[] = ['none', 'loopback', 'tap'];

export function parseDuration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)$/.exec(text.trim());
  if (!m) throw new Error(`invalid duration "${text}" (expected e.g. 500ms, 10s, 2m)`);
  return Number(m[1]) * { ms: 1, s: 1000, m: 60_000 }[m[2] as 'ms' | 's' | 'm'];
}

export function scenario(spec: ScenarioSpec): Scenario {
  for (const [i, step] of (spec.input ?? []).entries()) {
    if (!(step.after instanceof RegExp)) throw new Error(`scenario input ${i + 1}: "after" must be a regular expression`);
  }
  const cards = spec.network?.cards;
  if (cards !== undefined && (!Number.isInteger(cards) || cards < 0 || cards > 2)) throw new Error(`scenario network: ${cards} cards (the machine takes 0..2)`);
  if (spec.framebufferHash !== undefined && !/^[0-9a-f]{64}$/.test(spec.framebufferHash)) {
    throw new Error(`scenario framebufferHash "${spec.framebufferHash}" is not a SHA-256 in hex`);
  }
  return {
    ...spec,
    timeoutMs: parseDuration(spec.timeout),
    patterns: Array.isArray(spec.succeed) ? spec.succeed : [spec.succeed],
  };
}

/** A line that reports an error, in Genode's convention: "[label] Error: ...". */
export const ERROR_LINE = /\] Error: /;

/** Shared pieces of configs: what init's parent (core) provides. */
export const CORE_SERVICES = ['PD', 'CPU', 'ROM', 'RM', 'LOG'];

export function parentProvides(extra: string[] = []): string {
  return `<parent-provides>${[...CORE_SERVICES, ...extra].map((s) => `<service name="${s}"/>`).join('')}</parent-provides>`;
}

/**
 * The PIT timer driver's start node: it gets the PIT's ports and IRQ 0 from core and
 * provides the Timer service (the config also needs IO_PORT and IRQ in parent-provides).
 */
export function timerDriver(attributes = ''): string {
  return `
  <start name="timer" caps="100"${attributes ? ` ${attributes}` : ''}>
    <resource name="RAM" quantum="1M"/>
    <provides><service name="Timer"/></provides>
    <route>
      <service name="IO_PORT"><parent/></service>
      <service name="IRQ"><parent/></service>
      <any-service><parent/></any-service>
    </route>
  </start>`;
}

/**
 * platform_drv handing out PCI devices by policy (`policies`: its <policy> nodes; `verbose`
 * lists the devices it finds).
 */
export function platformDriver(policies: string, verbose = false): string {
  return `
  <start name="platform_drv" caps="100">
    <resource name="RAM" quantum="1M"/>
    <provides><service name="Platform"/></provides>
    <config${verbose ? ' verbose="yes"' : ''}>
      ${policies}
    </config>
    <route>
      <service name="IO_PORT"><parent/></service>
      <service name="IO_MEM"><parent/></service>
      <service name="IRQ"><parent/></service>
      <any-service><parent/></any-service>
    </route>
  </start>`;
}

/** uart_drv serving Terminal sessions on the PC's first serial port (COM1, 115200 baud). */
export function uartDriver(): string {
  return `
  <start name="uart_drv" caps="100">
    <resource name="RAM" quantum="1M"/>
    <provides><service name="Terminal"/></provides>
    <config uart="0" baud="115200"/>
    <route>
      <service name="IO_PORT"><parent/></service>
      <service name="IRQ"><parent/></service>
      <any-service><parent/></any-service>
    </route>
  </start>`;
}

/** A route that sends Timer sessions to the "timer" child and everything else to the parent. */
export const TIMER_ROUTE = `
    <route>
      <service name="Timer"><child name="timer"/></service>
      <any-service><parent/></any-service>
    </route>`;

/**
 * A nested init whose config ROM, LOG and Init_driver sessions come from the child
 * `driver` (the test drives it through its config).
 */
export function initDrivenBy(name: string, driver = 'driver'): string {
  return `
  <start name="${name}" caps="600">
    <binary name="init"/>
    <resource name="RAM" quantum="16M"/>
    <route>
      <service name="ROM" label="config"><child name="${driver}"/></service>
      <service name="LOG" label=""><child name="${driver}"/></service>
      <service name="Init_driver"><child name="${driver}"/></service>
      <any-service><parent/></any-service>
    </route>
  </start>`;
}

export const DEFAULT_ROUTE_TO_PARENT = '<default-route><any-service><parent/><any-child/></any-service></default-route>';
