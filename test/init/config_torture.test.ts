/*
 * The config torture list against init's config model: every bad config is refused with
 * an error that names the problem and its position, in one short line; what is only found
 * when starting (quota beyond init's) reads fine here.
 */
import test from 'ava';
import { parseInitConfig } from '../../os/src/init/config_model.js';
import { hostileConfigs } from '../../os/src/test/init/hostile_configs.js';
import { XmlError } from '../../base/src/util/xml_node.js';

for (const c of hostileConfigs) {
  test(`${c.name}: ${c.stage === 'parse' ? 'refused' : 'read'}`, (t) => {
    if (c.stage !== 'parse') {
      t.notThrows(() => parseInitConfig(c.config));
      return;
    }
    const e = t.throws(() => parseInitConfig(c.config), { instanceOf: XmlError });
    t.regex(e!.message, c.expect);
    t.regex(e!.message, /^config of init(, line \d+, column \d+:| is empty|: malformed XML at line \d+, column \d+:)/, 'the position comes first');
    t.true(e!.message.length <= 300, `the message is short (${e!.message.length} characters)`);
    t.false(/[\n\r\u001b]/.test(e!.message), 'no control characters from the config');
  });
}

test('an empty <config/> starts nothing', (t) => {
  const c = parseInitConfig('<config/>');
  t.deepEqual(c.starts, []);
});

test('routes that only look alike are no cycle', (t) => {
  const P = '<parent-provides><service name="LOG"/></parent-provides>';
  /* a and b each provide S, but a takes S from b and b takes it from its parent */
  const c = parseInitConfig(`<config>${P}
    <start name="a" ram="1M"><provides><service name="S"/></provides><route><service name="S"><child name="b"/></service></route></start>
    <start name="b" ram="1M"><provides><service name="S"/></provides><route><any-service><parent/></any-service></route></start>
  </config>`);
  t.is(c.starts.length, 2);
  /* a label condition makes a rule optional: the rule after it still counts */
  const e = t.throws(() => parseInitConfig(`<config>${P}
    <start name="a" ram="1M"><provides><service name="S"/></provides><route><service name="S" label="x"><parent/></service><service name="S"><child name="b"/></service></route></start>
    <start name="b" ram="1M"><provides><service name="S"/></provides><route><service name="S"><child name="a"/></service></route></start>
  </config>`));
  t.regex(e!.message, /routing cycle for service "S": "a" -> "b" -> "a"/);
});
