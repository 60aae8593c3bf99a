import 'ses';
const origReflect = Reflect;
lockdown({ errorTaming: 'unsafe', overrideTaming: 'severe', consoleTaming: 'unsafe', stackFiltering: 'verbose', evalTaming: 'safe-eval' });
console.log(Object.isFrozen(Reflect), typeof Date.now, Math.random());
const c = new Compartment({ globals: { print: harden((x) => console.log('c:', x)) }, __options__: true });
c.evaluate(`print(typeof Date.now + ' ' + Date.now() + ' ' + typeof Math.random); try { print(Math.random()) } catch (e) { print('random: ' + e.message) }
print(typeof queueMicrotask + ' ' + typeof TextEncoder + ' ' + typeof setTimeout + ' ' + typeof globalThis.process + typeof WeakRef + typeof FinalizationRegistry + typeof SharedArrayBuffer+ typeof Atomics);
try { (function(){}).constructor('return process')() } catch(e) { print('ctor: '+e.message) }
try { Array.prototype.x = 1 } catch(e) { print('proto: '+e.message) }
print(typeof eval); print((0,eval)('1+1'));
`);
