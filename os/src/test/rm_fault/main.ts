/*
 * test-rm_fault: raising and handling region-map faults (Genode's base/src/test/rm_fault).
 * The component starts itself as a child ("rmchild", <config role="child"/>) and registers
 * a fault handler on the child's address space before the child runs. The child touches
 * an address where nothing is attached: each access faults through the kernel to core's
 * pager, which reflects it to the parent's handler; the parent reads the fault state,
 * attaches memory there, and the child's blocked access completes.
 *   1. read fault: the parent attaches a RAM dataspace read-only;
 *   2. write fault on that read-only RAM: the parent attaches the binary's ROM instead;
 *   3. write fault on the ROM: the parent attaches the RAM writeable, the child writes;
 *   4. exec fault on the non-executable RAM: the parent sees the child's write in the
 *      shared RAM and attaches it executable.
 */
import type { Capability } from '../../../../base/src/capability.js';
import type { SignalContext } from '../../../../base/src/session/signal/session.js';
import { AttachedRamDataspace, AttachedRomDataspace } from '../../../../base/src/lib/attached_dataspace.js';
import { Connection } from '../../../../base/src/lib/connection.js';
import type { Env } from '../../../../base/src/lib/env.js';
import { ATTACH_AREA_BASE } from '../../../../base/src/lib/stack_area.js';
import { LogSession } from '../../../../base/src/session/log/session.js';
import type { PdSession } from '../../../../base/src/session/pd/session.js';
import { RegionMap, type AttachAttr } from '../../../../base/src/session/region_map/session.js';
import { RomSession } from '../../../../base/src/session/rom/session.js';
import { XmlNode } from '../../../../base/src/util/xml_node.js';
import type { InitChild } from '../../init/child.js';
import { parseInitConfig } from '../../init/config_model.js';
import { Sandbox } from '../../init/sandbox.js';

/** Where the child touches: far above what its own attachments take. */
const MANAGED_ADDR = ATTACH_AREA_BASE + 0x800_0000;
const READ_TEST = 0x12345;
const hex = (n: number) => `0x${n.toString(16)}`;

type Say = (text: string) => Promise<void>;

export async function construct(env: Env): Promise<void> {
  const rom = await AttachedRomDataspace.open(env, 'config');
  const config = XmlNode.parse(rom.text(), 'config of test-rm_fault');
  const log = await Connection.open(env, LogSession);
  const say: Say = async (t) => { await log.session.write(t); };
  if (config.attr('role', 'parent') === 'child') await child(env, say);
  else await parent(env, rom.text(), say);
}

/* ------------------------------------------------------------------ child */

async function child(env: Env, say: Say): Promise<void> {
  const word = () => new DataView(env.view(MANAGED_ADDR, 4).buffer, env.view(MANAGED_ADDR, 4).byteOffset, 4);
  await say('child role started');

  await say(`perform read operation at ${hex(MANAGED_ADDR)}`);
  await env.touch(MANAGED_ADDR, 4, 'read');
  await say(`read value ${hex(word().getUint32(0, true))}`);

  await say(`perform write operation at ${hex(MANAGED_ADDR)}`);
  await env.touch(MANAGED_ADDR, 4, 'write');
  const before = word().getUint32(0, true);
  word().setUint32(0, before + 1, true);
  await say(`modify memory at ${hex(MANAGED_ADDR)} from ${hex(before)} to ${hex(word().getUint32(0, true))}`);

  await say(`perform exec operation at ${hex(MANAGED_ADDR)}`);
  await env.touch(MANAGED_ADDR, 4, 'exec');
  await say('exec access completed');

  await say('--- child role of region-manager fault test finished ---');
  await env.exit(0);
}

/* ------------------------------------------------------------------ parent */

/** The sandbox that installs the fault handler before the child runs, and reports its exit. */
class RmFaultSandbox extends Sandbox {
  addressSpace: RegionMap | undefined;
  onExit: (code: number) => void = () => {};

  constructor(private readonly parentEnv: Env, log: (t: string) => void, private readonly faultSigh: Capability<SignalContext>) {
    super(parentEnv, log);
  }

  async initPd(_child: InitChild, pd: PdSession): Promise<void> {
    this.addressSpace = this.parentEnv.rpc(RegionMap, await pd.addressSpace());
    await this.addressSpace.faultHandler(this.faultSigh);
  }

  override exited(child: InitChild, code: number): void {
    super.exited(child, code);
    this.onExit(code);
  }
}

async function parent(env: Env, configText: string, say: Say): Promise<void> {
  await say('--- region-manager fault test ---');
  const shared = await AttachedRamDataspace.create(env, 4096);
  const value = new DataView(shared.bytes.buffer, shared.bytes.byteOffset, 4);
  const binary = await Connection.open(env, RomSession, { label: 'test-rm_fault' });
  const attr = (at: number, writeable: boolean, executable = false): AttachAttr => ({ size: 4096, offset: 0, useAt: true, at, writeable, executable });
  let faults = 0;
  let failed = false;
  const fail = async (why: string) => {
    failed = true;
    await say(`Error: ${why}`);
  };

  let sandbox!: RmFaultSandbox;
  let childGone = false;
  const handler = await env.signalHandler(async () => {
    const space = sandbox.addressSpace!;
    await say('received region-map fault signal, request fault state');
    let st: Awaited<ReturnType<typeof space.state>>;
    try {
      st = await space.state();
    } catch (e) {
      /* a signal that raced with the child's exit: its address space went with its PD */
      if (childGone) return;
      throw e;
    }
    await say(`rm session state is ${st.type}, pf_addr=${hex(st.addr)}`);
    if (st.type === 'READY') {
      await say('ignoring spurious fault signal');
      return;
    }
    const at = st.addr - (st.addr % 4096);
    if (at !== MANAGED_ADDR) return fail(`fault at ${hex(st.addr)}, expected ${hex(MANAGED_ADDR)}`);
    faults++;
    if (faults === 1 && st.type === 'READ_FAULT') {
      value.setUint32(0, READ_TEST, true);
      await say(`attach dataspace read-only to the child at ${hex(at)}`);
      await space.attach(shared.ds, attr(at, false));
    } else if (faults === 2 && st.type === 'WRITE_FAULT') {
      await say('got write fault on read-only attached RAM, attach the ROM (binary) instead');
      await space.detach(at);
      await space.attach(await binary.session.dataspace(), attr(at, true));
    } else if (faults === 3 && st.type === 'WRITE_FAULT') {
      await say('got write fault on ROM (binary), attach the RAM writeable');
      await space.detach(at);
      await space.attach(shared.ds, attr(at, true));
    } else if (faults === 4 && st.type === 'EXEC_FAULT') {
      const v = value.getUint32(0, true);
      await say(`got exec fault on dataspace; child modified dataspace content, new value is ${hex(v)}`);
      if (v !== READ_TEST + 1) await fail(`the child's write did not reach the shared RAM (${hex(v)})`);
      await space.detach(at);
      await space.attach(shared.ds, attr(at, true, true));
    } else {
      await fail(`unexpected fault ${faults}: ${st.type}`);
    }
  });

  sandbox = new RmFaultSandbox(env, (t) => void say(t).catch(() => {}), handler.cap);
  const exited = new Promise<number>((r) => (sandbox.onExit = (code) => {
    childGone = true;
    r(code);
  }));
  await sandbox.apply(parseInitConfig(configText, 'config of test-rm_fault'));
  const code = await exited;
  if (code !== 0) await fail(`the child exited with ${code}`);
  if (faults !== 4) await fail(`${faults} faults handled, expected 4`);
  await say(failed ? 'Error: region-manager fault test failed' : '--- parent role of region-manager fault test finished ---');
  await env.exit(failed ? 1 : 0);
}
