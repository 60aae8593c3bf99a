/*
 * test-loader: a client of the loader.
 *   <config action="basic"/>    a subsystem that logs and exits (its config handed as a ROM
 *                               module), then one with a Nitpicker view it places inside a
 *                               parent view and whose config it updates, which it kills;
 *                               all quota must come back
 *   <config action="hostile"/>  bogus names and sizes, negative and huge quotas, missing and
 *                               forbidden binaries, a faulting subsystem, a greedy one
 *                               (resource requests are not granted), a label no policy
 *                               matches: each refused with a clear error; the loader keeps
 *                               serving a well-behaved session afterwards
 */
import { AttachedRomDataspace } from '../../../../base/src/lib/attached_dataspace.js';
import type { Env } from '../../../../base/src/lib/env.js';
import type { Quota } from '../../../../base/src/session/pd/session.js';
import { clip } from '../../../../base/src/util/clip.js';
import { XmlNode } from '../../../../base/src/util/xml_node.js';
import { describeError, openLog, type Log } from '../../lib/log.js';
import { LoaderConnection } from '../../session/loader/connection.js';
import { NitpickerConnection } from '../../session/nitpicker/connection.js';
import { TimerConnection } from '../../session/timer/connection.js';
import { PARENT_COLOR } from './view.js';

const KiB = 1024;
const MiB = 1024 * KiB;

async function quotaBack(env: Env, log: Log, before: Quota, what: string): Promise<void> {
  const q = await env.pd.quota();
  const free = (x: Quota) => `ram ${x.ramQuota - x.ramUsed}, caps ${x.capQuota - x.capUsed}`;
  if (free(q) === free(before)) await log(`${what}: all quota came back`);
  else await log(`Error: ${what}: quota before ${free(before)}, after ${free(q)}`);
}

async function basic(env: Env, log: Log): Promise<void> {
  const fault = await env.signalHandler(() => {});
  const ready = await env.signalHandler(() => {});
  const before = await env.pd.quota();

  /* a subsystem that logs three lines and exits: its config is a ROM module we hand over */
  const hello = await LoaderConnection.open(env, { label: 'hello', ramQuota: 2 * MiB, capQuota: 200 });
  await hello.romModule('config', '<config action="log" lines="3"/>');
  await hello.session.faultSigh(fault.cap);
  await hello.session.ramQuota(1 * MiB);
  await hello.session.capQuota(100);
  await hello.session.start('test-exit', 'logger');
  await fault.whenReceived(1);
  await log('the logging subsystem ended (fault_sigh)');
  await hello.close();
  await quotaBack(env, log, before, 'logging subsystem closed');

  /* our own window at 40,30 200x150: the parent view of the subsystem's view */
  const np = await NitpickerConnection.open(env, { label: 'window' });
  const window = await np.buffer(200, 150);
  window.fill(PARENT_COLOR);
  await np.refresh(0, 0, 200, 150);
  const parentView = await np.createView();
  await np.session.geometry(parentView, { x: 40, y: 30, w: 200, h: 150 });
  await np.session.toFront(parentView, 0);
  const parentCap = await np.connection.retryWithUpgrade(() => np.session.viewCapability(parentView), 0, 1, 2);

  /* a subsystem with a view inside it */
  const viewer = await LoaderConnection.open(env, { label: 'viewer', ramQuota: 3 * MiB, capQuota: 300 });
  await viewer.session.constrainGeometry(120, 80);
  await viewer.session.parentView(parentCap);
  await viewer.session.viewReadySigh(ready.cap);
  await viewer.romModule('config', '<config title="first"/>');
  /* not all of it: a later version of a module is paid from what the subsystem leaves */
  await viewer.session.ramQuota(2 * MiB);
  await viewer.session.capQuota(200);
  await viewer.session.start('test-loader_view', '');
  await ready.whenReceived(1);
  const size = await viewer.session.viewSize();
  await log(`view ready: ${size.width}x${size.height}`);
  /* between the moves the screen has time to see each place (test-loader_screen checks them) */
  const timer = await TimerConnection.open(env);
  await timer.msleep(100);
  await viewer.session.viewGeometry({ x: 10, y: 20, w: size.width, h: size.height }, 0, 0);
  await log('view placed at 10,20 in the parent view');
  await timer.msleep(100);
  await viewer.session.viewGeometry({ x: 150, y: 100, w: size.width, h: size.height }, 0, 0);
  await log('view placed at 150,100 in the parent view (clipped)');
  await timer.msleep(100);
  /* a new version of a module reaches the running subsystem */
  await viewer.romModule('config', '<config title="second"/>');
  await timer.msleep(100);
  await viewer.close();
  await log('view subsystem killed');
  await timer.msleep(100);
  await np.close();
  await timer.close();
  await quotaBack(env, log, before, 'view subsystem closed');
  await log('--- loader test done ---');
}

async function hostile(env: Env, log: Log): Promise<void> {
  const fault = await env.signalHandler(() => {});
  const before = await env.pd.quota();
  const refused = async (what: string, fn: () => Promise<unknown>) => {
    try {
      await fn();
      await log(`Error: ${what}: not refused`);
    } catch (e) {
      await log(`${what}: refused: ${clip(describeError(e), 300)}`);
    }
  };

  await refused('a label no policy matches', () => LoaderConnection.open(env, { label: 'x', ramQuota: 64 * KiB, capQuota: 10 }));

  const s = await LoaderConnection.open(env, { label: 's1', ramQuota: 1 * MiB, capQuota: 100 });
  const l = s.session;
  await refused('empty module name', () => l.allocRomModule('', 16));
  await refused('module name with a label separator', () => l.allocRomModule('a -> b', 16));
  await refused('module name with a control character', () => l.allocRomModule('a\nb', 16));
  await refused('module size 0', () => l.allocRomModule('m', 0));
  await refused('module size -1', () => l.allocRomModule('m', -1));
  await refused('module size 2 GiB', () => l.allocRomModule('m', 2 ** 31 - 1));
  await refused('module beyond the donation (2 MiB)', () => l.allocRomModule('m', 2 * MiB));
  for (let i = 0; i < 32; i++) await l.allocRomModule(`m${i}`, 1);
  await refused('a 33rd module', () => l.allocRomModule('m32', 1));
  await refused('commit of a module never allocated', () => l.commitRomModule('nope'));
  await refused('commit of a module committed already', async () => {
    await l.commitRomModule('m0');
    await l.commitRomModule('m0');
  });
  await refused('ram_quota -5', () => l.ramQuota(-5));
  await refused('ram_quota 1 GiB', () => l.ramQuota(1024 * MiB));
  await refused('cap_quota 0', () => l.capQuota(0));
  await refused('cap_quota 100000', () => l.capQuota(100000));
  await refused('constrain_geometry 0x5', () => l.constrainGeometry(0, 5));
  await refused('constrain_geometry 100000x5', () => l.constrainGeometry(100000, 5));
  await refused('view_size before a view exists', () => l.viewSize());
  await refused('view_geometry before a view exists', () => l.viewGeometry({ x: 0, y: 0, w: 10, h: 10 }, 0, 0));
  await refused('start of a missing binary', () => l.start('no-such-binary', ''));
  await refused('start of a committed data module as binary', () => l.start('m0', ''));
  await refused('start of a binary the policy does not allow', () => l.start('loader', ''));
  await refused('start with a label separator in the label', () => l.start('test-exit', 'a -> b'));
  await s.close();
  await quotaBack(env, log, before, 'hostile session closed');

  /* a faulting subsystem: its throw ends it, the client hears of it */
  const f = await LoaderConnection.open(env, { label: 's2', ramQuota: 2 * MiB, capQuota: 200 });
  await f.romModule('config', '<config action="throw"/>');
  await f.session.faultSigh(fault.cap);
  await f.session.start('test-exit', 'thrower');
  await fault.whenReceived(1);
  await log('the faulting subsystem was reported (fault_sigh)');
  await refused('a second start', () => f.session.start('test-exit', 'again'));
  await f.close();

  /* a subsystem without a config: its ROM request is denied, and it fails alone */
  const n = await LoaderConnection.open(env, { label: 's3', ramQuota: 2 * MiB, capQuota: 200 });
  await n.session.faultSigh(fault.cap);
  await n.session.start('test-exit', 'unconfigured');
  await fault.whenReceived(2);
  await log('the subsystem without a config was reported (fault_sigh)');
  await n.close();

  /* a greedy subsystem: it uses up its RAM and asks for more, which the loader does not grant */
  const g = await LoaderConnection.open(env, { label: 's5', ramQuota: 2 * MiB, capQuota: 200 });
  await g.session.faultSigh(fault.cap);
  await g.session.start('test-resource_request', 'greedy');
  await fault.whenReceived(3);
  await log('the greedy subsystem ended (fault_sigh)');
  await g.close();

  /* the loader still serves */
  const ok = await LoaderConnection.open(env, { label: 's4', ramQuota: 2 * MiB, capQuota: 200 });
  await ok.romModule('config', '<config action="exit" value="0"/>');
  await ok.session.faultSigh(fault.cap);
  await ok.session.start('test-exit', 'afterwards');
  await fault.whenReceived(4);
  await ok.close();
  await quotaBack(env, log, before, 'all hostile sessions closed');
  await log('--- loader_hostile test done ---');
}

export async function construct(env: Env): Promise<void> {
  const log = await openLog(env);
  const config = XmlNode.parse((await AttachedRomDataspace.open(env, 'config')).text(), 'config of test-loader');
  try {
    if (config.attr('action') === 'hostile') await hostile(env, log);
    else await basic(env, log);
  } catch (e) {
    await log(`Error: ${describeError(e)}`);
  }
}
