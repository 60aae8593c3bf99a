import 'ses';
lockdown({ errorTaming: 'unsafe', overrideTaming: 'severe', consoleTaming: 'unsafe', stackFiltering: 'verbose' });
const c = new Compartment({ globals: { print: harden((x) => console.log('c:', x)) }, __options__: true });
const lines = [
 "typeof Date.now + ' ' + Date.now()", "typeof Math.random", "Math.random()",
 "typeof queueMicrotask + ' ' + typeof TextEncoder + ' ' + typeof setTimeout + ' ' + typeof globalThis.process + typeof WeakRef + typeof FinalizationRegistry + typeof SharedArrayBuffer+ typeof Atomics",
 "(function(){}).constructor('return process')()", "Array.prototype.x = 1", "typeof eval", "(0,eval)('1+1')", "new Function('return typeof process')()",
 "Object.getOwnPropertyNames(globalThis).join(',')", "typeof Reflect.defineMetadata", "Object.isFrozen(globalThis)", "(async()=>1).constructor('return 1')"
];
for (const l of lines) { try { console.log(l + ' => ' + c.evaluate(l)); } catch (e) { console.log(l + ' !! ' + e.message); } }
