/*
 * What a component's worker runs first (the linux loader): set up the runtime from what
 * core handed over, answer heartbeats, import the binary's module and construct it.
 * A binary that cannot be loaded is an uncaught error, which core reports and turns into
 * the component's exit.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { BootModules } from '../../../base/src/core/boot_modules.js';
import { startComponent } from '../../../base/src/lib/component.js';
import { answerHeartbeats } from './heartbeat.js';
import type { WorkerBoot, WorkerMessage } from './kernel_messages.js';
import { LinuxRuntime } from './runtime.js';

const boot = workerData as WorkerBoot;
const runtime = new LinuxRuntime(boot, (m: WorkerMessage) => parentPort!.postMessage(m));
answerHeartbeats(runtime.control);

let module;
try {
  module = await BootModules.load(boot.binary);
} catch (e) {
  throw new Error(`cannot load binary "${boot.binary.name}": ${(e as Error).message}`);
}
await startComponent(runtime, module.construct);
