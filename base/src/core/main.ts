/*
 * Core's start-up: create the services, give init all the RAM and capabilities core does
 * not keep for itself, load init from its boot module and start it.
 */
import { Capability } from '../capability.js';
import { Entrypoint } from '../lib/entrypoint.js';
import { slotTop } from '../lib/stack_area.js';
import { ThreadKind } from '../session/cpu/session.js';
import { EnvSession, Parent } from '../session/parent/session.js';
import { RangeAllocator } from '../util/range_allocator.js';
import type { BootModules } from './boot_modules.js';
import type { CoreContext } from './context.js';
import { CoreParent } from './core_parent.js';
import type { CoreService } from './core_service.js';
import { CpuService, CpuThreadComponent } from './cpu_service.js';
import { LogService } from './log_service.js';
import { corePager } from './pager.js';
import { PdService } from './pd_service.js';
import { FaultContainment } from './fault_containment.js';
import type { CorePlatform } from './platform.js';
import { RomService } from './rom_service.js';
import { RmService } from './rm_service.js';
import { IoMemService } from './io_mem_service.js';
import { IoPortService } from './io_port_service.js';
import { IrqService } from './irq_service.js';

/** A kernel without a capability table of its own (okl4, linux): core's bookkeeping bounds it. */
export const DEFAULT_MAX_CAPS = 1 << 20;
/** Capabilities core keeps for itself (its entrypoints, services and boot modules). */
export const CORE_CAP_RESERVE = 4096;

export interface CoreOptions {
  /** RAM core keeps for its own metadata. */
  coreReserve?: number;
  /** Capabilities init gets (default: the platform's maxCaps but core's reserve). */
  initCaps?: number;
  /** Extra services a backend or the machine provides (IO_PORT, IRQ, ...). */
  extraServices?: (ctx: CoreContext) => CoreService[];
}

export interface Core {
  readonly ctx: CoreContext;
  readonly services: Map<string, CoreService>;
  readonly init: CoreParent;
  /** Resolves with init's exit value. */
  readonly initExited: Promise<number>;
}

export async function bootCore(platform: CorePlatform, modules: BootModules, log: (line: string) => void, options: CoreOptions = {}): Promise<Core> {
  const phys = new RangeAllocator(platform.ramBase, platform.ramSize);
  const report = (what: string, e: unknown) => log(`[core] Error: ${what}: ${e instanceof Error ? e.message : String(e)}`);
  const ep: Entrypoint = new Entrypoint(platform.createEntrypoint((key, msg, done) => ep.handle(key, msg, done)), report);
  const ctx: CoreContext = { ep, platform, phys, modules, log };

  const pdService = new PdService(ctx);
  const containment = new FaultContainment(ctx, pdService, () => platform.coreCaller?.());
  platform.onFault?.((pd, reason) => containment.fault(pd, reason));
  platform.setPager(corePager((pd) => pdService.sessionOf(pd)?.address));
  const cpuService = new CpuService(ctx);
  const services = new Map<string, CoreService>();
  const deviceServices = platform.ioPorts ? [new IoPortService(ctx), new IoMemService(ctx), new IrqService(ctx)] : [];
  for (const s of [pdService, cpuService, new RomService(ctx), new RmService(ctx), new LogService(ctx), ...deviceServices, ...(options.extraServices?.(ctx) ?? [])]) {
    services.set(s.name, s);
  }

  /* init's environment: all RAM but core's reserve, and its capability budget */
  const pd = await pdService.createLocal('init');
  const cpu = await cpuService.createLocal('init', 64);
  pd.session.ram.upgrade(phys.avail() - (options.coreReserve ?? 1024 * 1024));
  pd.session.caps.upgrade(options.initCaps ?? (platform.maxCaps ?? DEFAULT_MAX_CAPS) - CORE_CAP_RESERVE);

  let exited!: (code: number) => void;
  const initExited = new Promise<number>((r) => (exited = r));
  const init = new CoreParent('init', ctx, services, pd.session, (code) => {
    log(`[core] init exited with exit value ${code}`);
    exited(code);
  });
  const parentCap = await ep.manage(Parent, init);
  init.addEnvSession(EnvSession.PD, 'PD', pd.cap);
  init.addEnvSession(EnvSession.CPU, 'CPU', cpu.cap);
  await pd.session.assignParent(parentCap as Capability<Parent>);

  /* link every binary's program before anything runs (deterministic runs, see platform.ts) */
  await platform.preload?.(modules.allBinaries());

  /* load init: attach its binary and start the main thread there */
  const rom = await services.get('ROM')!.session({ label: 'init', args: new Map(), ram: 4096, caps: 1 });
  const romSession = ep.local(rom.cap, Object) as { dataspace(): Promise<Capability<never>> };
  const { start: ip } = await pd.session.address.attach(await romSession.dataspace(), {
    size: 0, offset: 0, useAt: false, at: 0, executable: true, writeable: false,
  });
  const threadCap = await cpu.session.createThread(pd.cap, 'main', ThreadKind.GLOBAL);
  await ep.local(threadCap, CpuThreadComponent)!.start(ip, slotTop(0));
  return { ctx, services, init, initExited };
}
