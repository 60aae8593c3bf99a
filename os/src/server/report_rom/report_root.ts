/*
 * report_rom's Report service: a session per report label (the session label), with a
 * buffer of the `buffer_size` the client asked for and a second one holding the last
 * report submitted, both paid from the session's quota. A `submit` longer than the buffer
 * (or negative) is refused with BadArgument and changes nothing.
 */
import type { Capability } from '../../../../base/src/capability.js';
import { BadArgument } from '../../../../base/src/errors.js';
import type { Env } from '../../../../base/src/lib/env.js';
import type { HeapBlock } from '../../../../base/src/lib/heap.js';
import { RootComponent, type SessionContext } from '../../../../base/src/lib/root_component.js';
import { numberArg } from '../../../../base/src/session/args.js';
import type { SignalContext } from '../../../../base/src/session/signal/session.js';
import { clip } from '../../../../base/src/util/clip.js';
import type { Log } from '../../lib/log.js';
import { SessionDataspace } from '../../lib/session_dataspace.js';
import { ReportSession } from '../../session/report/session.js';
import type { ModuleWriter, RomModule, RomRegistry } from './rom_registry.js';

const decoder = new TextDecoder();

class ReportSessionComponent implements ReportSession, ModuleWriter {
  content: Uint8Array = new Uint8Array(0);

  constructor(
    private readonly env: Env,
    readonly label: string,
    readonly module: RomModule,
    readonly buffer: SessionDataspace,
    private readonly size: number,
    readonly copy: HeapBlock,
    private readonly log: Log,
    private readonly verbose: boolean,
  ) {}

  dataspace = async () => this.buffer.ds;

  submit = async (length: number) => {
    if (!Number.isInteger(length) || length < 0 || length > this.size) {
      void this.log(`Warning: report "${clip(this.label)}": submit of ${length} bytes refused (its buffer has ${this.size} bytes)`);
      throw new BadArgument(`report of ${length} bytes exceeds the buffer of ${this.size} bytes`);
    }
    /* a copy, so the client cannot change a report after submitting it */
    this.copy.bytes.set(this.buffer.bytes.subarray(0, length));
    this.content = this.copy.bytes.subarray(0, length);
    if (this.verbose) void this.log(`report "${clip(this.label)}": ${clip(decoder.decode(this.content), 2000)}`);
    this.module.submitted(this);
  };

  responseSigh = async (sigh: Capability<SignalContext>) => {
    /* report_rom never responds */
    this.env.ep.release(sigh);
  };

  obtainResponse = async () => 0;
}

export class ReportRoot extends RootComponent<ReportSession> {
  constructor(env: Env, private readonly registry: RomRegistry, private readonly log: Log, private readonly verbose: boolean) {
    super(env, ReportSession, 'Report');
  }

  protected async createSession(ctx: SessionContext): Promise<ReportSession> {
    const size = numberArg(ctx.args, 'buffer_size', 4096);
    if (!Number.isInteger(size) || size < 1 || size > ReportSession.BUFFER_MAX) {
      throw new BadArgument(`Report session "${clip(ctx.label)}": buffer_size=${clip(String(size))} is not from 1 to ${ReportSession.BUFFER_MAX}`);
    }
    const buffer = await SessionDataspace.create(this.env, ctx.quota, size);
    let copy: HeapBlock;
    try {
      copy = await ctx.heap.alloc(size);
    } catch (e) {
      await buffer.destroy();
      throw e;
    }
    const module = this.registry.lookup(ctx.label);
    const s = new ReportSessionComponent(this.env, ctx.label, module, buffer, size, copy, this.log, this.verbose);
    module.writers.add(s);
    return s;
  }

  protected override async destroySession(session: ReportSession): Promise<void> {
    const s = session as ReportSessionComponent;
    s.module.removeWriter(s);
    this.registry.release(s.module);
    await s.buffer.destroy();
  }
}
