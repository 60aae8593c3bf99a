/*
 * test-report_rom: reads a report through report_rom, or attacks a Report session.
 *   <config action="read" rom="state" wait_exited="first"/>
 *     reads the ROM "state" (an init state report) on each change until the child named
 *     by wait_exited appears with exited="..." (or the one by wait_skipped with
 *     skipped_heartbeats="..."); then logs what the report says of each
 *     child (the figures that do not depend on timing) and exits 0.
 *   <config action="hostile"/>
 *     a Report session that submits lengths past its buffer, a negative one and asks for
 *     absurd buffer sizes: each must be refused, and a good report still arrives after.
 */
import { BadArgument, ServiceDenied } from '../../../../base/src/errors.js';
import { AttachedRomDataspace } from '../../../../base/src/lib/attached_dataspace.js';
import { Connection } from '../../../../base/src/lib/connection.js';
import type { Env } from '../../../../base/src/lib/env.js';
import { XmlNode } from '../../../../base/src/util/xml_node.js';
import { describeError, openLog, type Log } from '../../lib/log.js';
import { ReportConnection } from '../../session/report/connection.js';
import { ReportSession } from '../../session/report/session.js';

export async function construct(env: Env): Promise<void> {
  const log = await openLog(env);
  const config = XmlNode.parse((await AttachedRomDataspace.open(env, 'config')).text(), 'config of test-report_rom');
  const action = config.attr('action');
  if (action === 'read') {
    /* what to wait for: a child that exited, or one that skipped heartbeats */
    const exited = config.attr('wait_exited', '');
    const skipped = config.attr('wait_skipped', '');
    const ready = (c: XmlNode) => (exited && c.attr('name') === exited && c.hasAttr('exited')) || (skipped && c.attr('name') === skipped && c.hasAttr('skipped_heartbeats'));
    return read(env, log, config.attr('rom', 'state'), (c) => Boolean(ready(c)));
  }
  if (action === 'hostile') return hostile(env, log);
  await log(`Error: unknown action "${action}"`);
  await env.exit(1);
}

/** What the report says of a child, without the figures that depend on timing. */
function describeChild(c: XmlNode): string[] {
  const parts = [`child "${c.attr('name')}" binary="${c.attr('binary')}"`];
  if (c.hasAttr('id')) parts.push(`id=${c.attr('id')}`);
  if (c.hasAttr('exited')) parts.push(`exited=${c.attr('exited')}`);
  if (c.hasAttr('skipped_heartbeats')) parts.push(`skipped_heartbeats=${c.attr('skipped_heartbeats')}`);
  const ram = c.child('ram');
  if (ram) parts.push(`ram assigned=${ram.attr('assigned')}${ram.hasAttr('quota') ? ' (quota, used, avail)' : ''}`);
  const caps = c.child('caps');
  if (caps) parts.push(`caps assigned=${caps.attr('assigned')}`);
  const lines = [parts.join(', ')];
  for (const s of c.child('requested')?.children('session') ?? []) lines.push(`  "${c.attr('name')}" requested ${s.attr('service')} "${s.attr('label')}" ${s.attr('state')}`);
  for (const s of c.child('provided')?.children('session') ?? []) lines.push(`  "${c.attr('name')}" provides ${s.attr('service')} "${s.attr('label')}"`);
  return lines;
}

async function read(env: Env, log: Log, name: string, ready: (child: XmlNode) => boolean): Promise<void> {
  const rom = await AttachedRomDataspace.open(env, name);
  let done = false;
  const check = async () => {
    if (done) return;
    const text = rom.text();
    if (!text) return;
    const state = XmlNode.parse(text, `ROM "${name}"`);
    const children = state.children('child');
    if (!children.some(ready)) return;
    done = true;
    const ram = state.child('ram');
    const caps = state.child('caps');
    await log(`state report: ${children.length} children, init ram ${ram ? `quota=${ram.attr('quota')}` : 'not reported'}, init caps ${caps ? `quota=${caps.attr('quota')}` : 'not reported'}`);
    for (const c of children) for (const line of describeChild(c)) await log(line);
    await log('--- report_rom test done ---');
    await env.exit(0);
  };
  const handler = await env.signalHandler(async () => {
    await rom.update();
    await check();
  });
  await rom.sigh(handler);
  await rom.update();
  await check();
}

async function hostile(env: Env, log: Log): Promise<void> {
  let failures = 0;
  const expectRefused = async (what: string, fn: () => Promise<unknown>, kind: Function) => {
    try {
      await fn();
      failures++;
      await log(`Error: ${what}: accepted`);
    } catch (e) {
      if (e instanceof kind) await log(`${what}: refused (${(e as Error).name})`);
      else {
        failures++;
        await log(`Error: ${what}: ${describeError(e)}`);
      }
    }
  };
  const report = await ReportConnection.open(env, 'mine', 100);
  await expectRefused('submit past the buffer', () => report.session.submit(report.capacity + 1), BadArgument);
  await expectRefused('submit of a huge length', () => report.session.submit(0x7fffffff), BadArgument);
  await expectRefused('submit of a negative length', () => report.session.submit(-1), BadArgument);
  await expectRefused('a report larger than the buffer', () => report.submit('x'.repeat(report.capacity + 1)), BadArgument);
  await expectRefused('buffer_size of 2^40', () => Connection.open(env, ReportSession, { label: 'huge', ramQuota: 64 * 1024, args: { buffer_size: 2 ** 40 }, retries: 0 }), ServiceDenied);
  await expectRefused('buffer_size of -5', () => Connection.open(env, ReportSession, { label: 'negative', args: { buffer_size: -5 }, retries: 0 }), ServiceDenied);
  await report.submit('<fine/>');
  await report.close();
  await log(failures ? `Error: ${failures} hostile requests were not refused` : '--- report_rom hostile test done ---');
  await env.exit(failures ? 1 : 0);
}
