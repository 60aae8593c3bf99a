/* Config XML: values, and errors that say where. */
import test from 'ava';
import { XmlError, XmlNode } from '../../base/src/util/xml_node.js';

test('reads attributes, numbers with suffixes and children', (t) => {
  const n = XmlNode.parse('<config><start name="a" ram="2M"/><start name="b" caps="7"/></config>', 'cfg');
  t.is(n.type, 'config');
  const starts = n.children('start');
  t.is(starts.length, 2);
  t.is(starts[0]!.attr('name'), 'a');
  t.is(starts[0]!.numberAttr('ram'), 2 * 1024 * 1024);
  t.is(starts[1]!.numberAttr('caps'), 7);
  t.is(starts[1]!.numberAttr('ram', 5), 5);
});

test('malformed XML names line and column', (t) => {
  const e = t.throws(() => XmlNode.parse('<config>\n  <start name="a">\n</config>', 'cfg'), { instanceOf: XmlError });
  t.regex(e!.message, /cfg: malformed XML at line \d+, column \d+/);
});

test('a missing attribute names the node and its position', (t) => {
  const n = XmlNode.parse('<config>\n <start/>\n</config>', 'cfg');
  const e = t.throws(() => n.children('start')[0]!.attr('name'), { instanceOf: XmlError });
  t.regex(e!.message, /cfg, line 2, column 2: <start>: missing attribute "name"/);
});

test('a number attribute must be a number', (t) => {
  const n = XmlNode.parse('<a x="12Q"/>', 'cfg');
  t.throws(() => n.numberAttr('x'), { instanceOf: XmlError, message: /x="12Q" is not a number/ });
});

test('what xmldom lets pass with a warning is an error, with the position', (t) => {
  t.throws(() => XmlNode.parse('<a>\n <b x=1/>\n</a>', 'cfg'), { instanceOf: XmlError, message: 'cfg: malformed XML at line 2, column 2: unquoted attribute value "1"' });
  t.throws(() => XmlNode.parse('<a x/>', 'cfg'), { instanceOf: XmlError, message: /line 1, column 1: attribute "x" has no value/ });
  t.throws(() => XmlNode.parse('<a x="1"y="2"/>', 'cfg'), { instanceOf: XmlError, message: /line 1, column 1: no space before the attribute/ });
});

test('an empty document is named as such', (t) => {
  t.throws(() => XmlNode.parse(' \n', 'cfg'), { instanceOf: XmlError, message: 'cfg is empty (expected an XML document)' });
});

test('numbers: negative, out of range and bounded by a maximum, each with the value clipped', (t) => {
  const n = XmlNode.parse(`<a neg="-5" big="9999999999999999" huge="${'9'.repeat(1000)}" k="10K" m="3M"/>`, 'cfg');
  t.throws(() => n.numberAttr('neg'), { message: /neg="-5" is negative/ });
  t.throws(() => n.numberAttr('big'), { message: /big="9999999999999999" is out of range/ });
  const e = t.throws(() => n.numberAttr('huge'));
  t.true(e!.message.length < 200);
  t.is(n.numberAttr('k'), 10240);
  t.throws(() => n.numberAttr('m', undefined, 1024 * 1024), { message: /m="3M" is out of range \(at most 1048576\)/ });
});
