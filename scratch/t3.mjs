import 'ses';
lockdown({ errorTaming: 'unsafe', overrideTaming: 'severe', consoleTaming: 'unsafe', stackFiltering: 'verbose' });
const d = Object.getOwnPropertyDescriptor(globalThis, 'Reflect'); console.log(d);
globalThis.Reflect = Object.create(null, Object.getOwnPropertyDescriptors(Reflect)); // start-compartment copy
await import('reflect-metadata');
console.log(typeof Reflect.defineMetadata);
const meter = { n: 0 };
const c = new Compartment({ globals: { print: harden((x) => console.log('c:', x)), Reflect: Object.create(null, Object.getOwnPropertyDescriptors(Reflect)) }, __options__: true,
  __shimTransforms__: [ (src) => { console.log('transform sees', JSON.stringify(src.slice(0,40))); return src; } ] });
console.log(c.evaluate('typeof Reflect.defineMetadata'));
console.log(c.evaluate('(0,eval)("1+2")'));
console.log(c.evaluate('new Function("return 7")()'));
const c2 = new Compartment({ globals: { eval: harden(()=>{throw new Error('no eval')}), Function: harden(function(){throw new Error('no Function')}) }, __options__: true });
try { console.log(c2.evaluate('eval("1")')); } catch (e) { console.log('c2', e.message); }
try { console.log(c2.evaluate('new Function("1")')); } catch (e) { console.log('c2', e.message); }
