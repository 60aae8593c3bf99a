/*
 * init's config model for <alias>, <exit propagate>, <heartbeat>, <report> and <service>
 * forwarding, the state report's format, and the policy choice of a forwarded service.
 */
import test from 'ava';
import { BadArgument } from '../../base/src/errors.js';
import { parseInitConfig } from '../../os/src/init/config_model.js';
import { selectPolicy } from '../../os/src/init/forward.js';
import { scaleCpuPriority } from '../../os/src/init/priority.js';
import { formatStateReport } from '../../os/src/init/state_report.js';
import { XmlError, XmlNode } from '../../base/src/util/xml_node.js';

const PP = '<parent-provides><service name="LOG"/></parent-provides>';

test('an alias stands for its child in routes', (t) => {
  const c = parseInitConfig(`<config>${PP}<alias name="log" child="server"/>
    <start name="server" ram="1M"><provides><service name="Echo"/></provides></start>
    <start name="client" ram="1M"><route><service name="Echo"><child name="log"/></service></route></start></config>`);
  const target = c.starts[1]!.route![0]!.targets[0]!;
  t.deepEqual(target.kind === 'child' ? target.name : undefined, 'server');
});

test('an alias of an alias is refused', (t) => {
  const e = t.throws(() => parseInitConfig(`<config><alias name="a" child="b"/><alias name="b" child="c"/></config>`), { instanceOf: XmlError });
  t.regex(e!.message, /alias "a" names the alias "b"/);
});

test('a route through an alias back to the child itself is refused', (t) => {
  const e = t.throws(() => parseInitConfig(`<config><alias name="me" child="x"/>
    <start name="x" ram="1M"><route><any-service><child name="me"/></any-service></route></start></config>`), { instanceOf: XmlError });
  t.regex(e!.message, /routes any service to itself/);
});

test('<exit propagate> and <heartbeat> of a start are read', (t) => {
  const c = parseInitConfig(`<config><heartbeat rate_ms="250"/><start name="x" ram="1M"><exit propagate="yes"/><heartbeat/></start><start name="y" ram="1M"/></config>`);
  t.is(c.heartbeatRateMs, 250);
  t.true(c.starts[0]!.exitPropagate);
  t.true(c.starts[0]!.heartbeat);
  t.false(c.starts[1]!.exitPropagate);
  t.false(c.starts[1]!.heartbeat);
});

for (const [name, config, expect] of [
  ['two heartbeats', '<config><heartbeat/><heartbeat/></config>', /more than one <heartbeat>/],
  ['rate 0', '<config><heartbeat rate_ms="0"/></config>', /rate_ms must be at least 1/],
  ['exit with unknown attribute', '<config><start name="x" ram="1M"><exit value="3"/></start></config>', /unknown attribute "value"/],
  ['two reports', '<config><report/><report/></config>', /more than one <report>/],
  ['report with a node', '<config><report><child/></report></config>', /unexpected node in <report>/],
  ['service policy without child', '<config><service name="X"><default-policy/></service></config>', /exactly one <child name/],
  ['service policy without label', '<config><service name="X"><policy><child name="a"/></policy></service></config>', /needs label, label_prefix or label_suffix/],
  ['service twice', '<config><service name="X"><default-policy><child name="a"/></default-policy></service><service name="X"><default-policy><child name="a"/></default-policy></service></config>', /duplicate <service name="X">/],
  ['affinity-space', '<config><affinity-space width="2"/></config>', /<affinity-space>: not supported by this init/],
  ['top-level resource', '<config><resource name="RAM" preserve="1M"/></config>', /<resource>: not supported by this init/],
  ['unknown config attribute', '<config frobnicate="1"/>', /unknown attribute "frobnicate"/],
] as const) {
  test(`refused: ${name}`, (t) => {
    const e = t.throws(() => parseInitConfig(config), { instanceOf: XmlError });
    t.regex(e!.message, expect);
    t.regex(e!.message, /^config of init, line \d+, column \d+:/);
  });
}

test('a forwarded service picks the best policy, then the default', (t) => {
  const c = parseInitConfig(`<config><service name="Echo">
    <default-policy><child name="d"/></default-policy>
    <policy label="a -> x"><child name="exact"/></policy>
    <policy label_prefix="a"><child name="short"/></policy>
    <policy label_prefix="a -> y"><child name="long" label="renamed"/></policy>
  </service></config>`);
  const f = c.forwards[0]!;
  t.is(selectPolicy(f, 'a -> x')!.child, 'exact');
  t.is(selectPolicy(f, 'a -> y z')!.child, 'long');
  t.is(selectPolicy(f, 'a -> y z')!.label, 'renamed');
  t.is(selectPolicy(f, 'a -> q')!.child, 'short');
  t.is(selectPolicy(f, 'b')!.child, 'd');
});

test('the state report is well-formed XML and escapes what children chose', (t) => {
  const text = formatStateReport('v"1', { ids: true, childRam: true, childCaps: true, requested: true, provided: true, sessionArgs: false, initRam: true, initCaps: true, delayMs: 0 },
    { ramQuota: 100, ramUsed: 40, capQuota: 10, capUsed: 3 },
    [{ name: 'a', binary: 'b', id: 1, incomplete: false, skippedHeartbeats: 2, ram: { assigned: 5, requested: 0 }, caps: { assigned: 7, requested: 1 },
      requested: [{ service: 'LOG', label: 'a -> "><evil/>', state: 'CAP_HANDED_OUT' }], provided: [] },
    { name: 'gone', binary: 'b', id: 2, exited: 3, incomplete: false, skippedHeartbeats: 0, requested: [], provided: [] }]);
  const state = XmlNode.parse(text, 'report');
  t.is(state.type, 'state');
  t.is(state.child('ram')!.attr('avail'), '60');
  const [a, gone] = state.children('child');
  t.is(a!.attr('skipped_heartbeats'), '2');
  t.is(a!.child('caps')!.attr('requested'), '1');
  t.is(a!.child('requested')!.children('session').length, 1);
  t.is(a!.child('requested')!.children('session')[0]!.attr('label'), 'a -> "><evil/>');
  t.falsy(state.child('evil'));
  t.is(gone!.attr('exited'), '3');
});

test('a child\'s CPU sessions get its priority band (Genode\'s filter_session_args)', (t) => {
  const c = parseInitConfig(`<config prio_levels="4"><start name="x" ram="1M" priority="-2"/></config>`);
  const s = c.starts[0]!;
  t.is(s.cpuPriority, 2 * 65536 / 4);
  const prio = (args: string) => Number(/priority=(\d+)/.exec(scaleCpuPriority(args, s.prioLevels, s.cpuPriority))![1]);
  /* asking for the highest priority gets the top of the child's band */
  t.is(prio('ram_quota=4096, priority=0'), 32768);
  t.is(prio('ram_quota=4096'), 32768);
  t.is(prio('priority=65535'), 32768 + 16383);
  /* beyond the range: clamped; no whole number: refused */
  t.is(prio('priority=999999'), 32768 + 16383);
  t.throws(() => scaleCpuPriority('priority=-5', s.prioLevels, s.cpuPriority), { instanceOf: BadArgument });
  /* without prio_levels the request passes unchanged */
  t.is(scaleCpuPriority('priority=7', 1, 0), 'priority=7');
});

for (const [name, config, expect] of [
  ['a misspelt rule attribute', '<config><default-route><service name="LOG" lable="x"><parent/></service></default-route></config>', /<service>: unknown attribute "lable"/],
  ['label_last', '<config><default-route><any-service label_last="x"><parent/></any-service></default-route></config>', /attribute "label_last" is not supported/],
  ['a misspelt target attribute', '<config><default-route><any-service><child nmae="x"/></any-service></default-route></config>', /<child>: unknown attribute "nmae"/],
  ['an unknown <default> attribute', '<config><default ram="1M"/></config>', /<default>: unknown attribute "ram"/],
] as const) {
  test(`refused: ${name}`, (t) => {
    const e = t.throws(() => parseInitConfig(config), { instanceOf: XmlError });
    t.regex(e!.message, expect);
  });
}
