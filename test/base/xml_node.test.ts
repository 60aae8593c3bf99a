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
