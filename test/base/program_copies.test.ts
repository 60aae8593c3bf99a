/*
 * Compiled programs per system (base/src/loader/sandbox.ts): a system compiles a program
 * afresh for each of its first four instances, further instances share the last copy, and
 * two systems never share one (instances of one copy share V8's type feedback).
 */
import test from 'ava';
import { instantiate, programFunction } from '../../base/src/loader/sandbox.js';
import { Meter } from '../../base/src/loader/cpu_meter.js';

const image = { name: 'copies', source: '(function (host, cell, g) { return { answer: 42 }; })' };

test('a system compiles a program for each of its first four instances, then shares the last copy', (t) => {
  const system = {};
  const fns = Array.from({ length: 6 }, () => programFunction(image, system));
  t.is(new Set(fns.slice(0, 4)).size, 4);
  t.is(fns[4], fns[3]);
  t.is(fns[5], fns[3]);
});

test('two systems share no compiled program; without a system every instance gets its own', (t) => {
  const a = programFunction(image, {});
  const b = programFunction(image, {});
  t.not(a, b);
  t.not(programFunction(image, undefined), programFunction(image, undefined));
});

test('an instance of a compiled copy runs the program', (t) => {
  const exports = instantiate(image, new Meter(1e9, () => {}), {}, 0, {});
  t.is(exports.answer, 42);
});
