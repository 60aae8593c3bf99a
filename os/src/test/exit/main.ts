/*
 * test-exit: ends the way its config says, to test how init and the kernel handle it:
 *   <config action="exit" value="3"/>   exits with value 3
 *   <config action="throw"/>           throws from construct (an uncaught error)
 *   <config action="log" lines="20"/>  keeps logging, then exits 0
 *   <config action="tick" count="30"/>  logs every 100 ms of the Timer's time, then exits 0 (or value="...")
 *   <config action="spin"/>            computes forever without a system call
 *   <config action="reject"/>          leaves a rejected promise unhandled
 *   <config action="handler-throw"/>   throws from a timer (signal) handler
 *   <config action="crashy"/>          serves Crashy (crashy.ts): faults in a call, or hangs
 *   <config action="call-spin"/>       calls Crashy.spin: the server faults while it waits
 *   <config action="call-hang"/>       calls Crashy.hang, and faults while blocked in it
 *   <config action="sessions" count="40"/>  opens and closes LOG sessions, then exits 0
 *   <config action="idle"/>            logs "up" and waits until it is ended
 *   <config action="stuck" after="3"/>  answers 3 heartbeats of its parent, then none
 */
import { AttachedRomDataspace } from '../../../../base/src/lib/attached_dataspace.js';
import { Connection } from '../../../../base/src/lib/connection.js';
import type { Env } from '../../../../base/src/lib/env.js';
import { LogSession } from '../../../../base/src/session/log/session.js';
import { XmlNode } from '../../../../base/src/util/xml_node.js';
import { TimerConnection } from '../../session/timer/connection.js';
import { CrashyRoot, CrashySession } from './crashy.js';

/** Never resolves: the component waits here until the kernel or its parent ends it. */
const forever = () => new Promise<void>(() => {});

export async function construct(env: Env): Promise<void> {
  const config = XmlNode.parse((await AttachedRomDataspace.open(env, 'config')).text(), 'config of test-exit');
  const log = await Connection.open(env, LogSession);
  const action = config.attr('action');
  switch (action) {
    case 'exit':
      await log.session.write(`exiting with value ${config.numberAttr('value')}`);
      await env.exit(config.numberAttr('value'));
      return;
    case 'throw':
      await log.session.write('throwing');
      throw new RangeError('test-exit was told to throw');
    case 'log': {
      const lines = config.numberAttr('lines', 20);
      for (let i = 1; i <= lines; i++) await log.session.write(`still alive ${i}`);
      await env.exit(0);
      return;
    }
    case 'tick': {
      const count = config.numberAttr('count', 30);
      const timer = await TimerConnection.open(env);
      for (let i = 1; i <= count; i++) {
        await timer.msleep(100);
        await log.session.write(`still alive ${i}`);
      }
      await env.exit(config.numberAttr('value', 0));
      return;
    }
    case 'spin': {
      await log.session.write('spinning');
      let x = 0;
      for (;;) x = (x + 1) | 0;
    }
    case 'reject':
      await log.session.write('leaving a rejected promise unhandled');
      void Promise.reject(new TypeError('test-exit was told to reject'));
      return forever();
    case 'handler-throw': {
      const timer = await TimerConnection.open(env);
      timer.onTimeout(() => {
        throw new RangeError('test-exit was told to throw in its timer handler');
      });
      await timer.session.triggerOnce(50_000);
      await log.session.write('waiting for the timer');
      return forever();
    }
    case 'crashy':
      await new CrashyRoot(env, CrashySession, CrashySession.service).announce();
      await log.session.write('Crashy announced');
      return forever();
    case 'call-spin': {
      const crashy = await Connection.open(env, CrashySession);
      await log.session.write('calling a server that faults in the call');
      try {
        await crashy.session.spin();
        await log.session.write('Error: the call returned');
      } catch (e) {
        await log.session.write(`the call failed: ${(e as Error).name}`);
      }
      await env.exit(0);
      return;
    }
    case 'call-hang': {
      const crashy = await Connection.open(env, CrashySession);
      const timer = await TimerConnection.open(env);
      timer.onTimeout(() => {
        throw new RangeError('test-exit faulted while blocked in a call');
      });
      await timer.session.triggerOnce(100_000);
      await log.session.write('blocking in a call that never returns');
      await crashy.session.hang();
      return;
    }
    case 'sessions': {
      const count = config.numberAttr('count', 40);
      for (let i = 1; i <= count; i++) {
        const s = await Connection.open(env, LogSession, { label: `session ${i}` });
        await s.close();
      }
      await log.session.write(`${count} sessions opened and closed`);
      await env.exit(0);
      return;
    }
    case 'idle':
      await log.session.write('up');
      return forever();
    case 'stuck': {
      /*
       * Answers `after` heartbeats, then stops answering, as a component whose
       * entrypoint deadlocked would (a JS entrypoint cannot block, so the test takes
       * the heartbeat signal away from the framework's handler instead).
       */
      const after = config.numberAttr('after', 3);
      let answered = 0;
      const beat = await env.signalHandler(async () => {
        if (answered >= after) return;
        answered++;
        await env.parent.heartbeatResponse();
        if (answered === after) await log.session.write(`answered ${after} heartbeats; stuck from now on`);
      });
      await env.parent.heartbeatSigh(beat.cap);
      await log.session.write('up');
      return forever();
    }
    default:
      throw config.error(`unknown action "${action}"`);
  }
}
