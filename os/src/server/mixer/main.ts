/*
 * mixer (Genode's os/src/server/mixer): serves Audio_out to any number of clients and mixes
 * them, channel by channel, into its own two Audio_out sessions of the driver ("left",
 * "right"). The arithmetic and its clipping rule are in mix.ts.
 *
 *   <config>
 *     <default volume="100" out_volume="100"/>          volumes 0..100 (defaults: 100, 100)
 *     <policy label_prefix="player_a" volume="50"/>     per client, Genode's policy matching
 *   </config>
 *
 * Timing: the mixer keeps AHEAD periods queued at the driver and mixes one more whenever
 * the driver reports progress, taking from every started client the packet at its position.
 * A client that has none contributes silence to that period (an underrun, counted), so a
 * client that stops feeding, scribbles on its stream or never starts costs only its own
 * sound. When the mixer was idle, it begins as soon as every started session has a packet
 * (clients that start together begin in the same period), or JOIN_PERIODS after the first
 * packet if some started session stays empty. Playing, it waits up to HOLD_PERIODS for a
 * started session that has no packet yet while queued periods keep the driver busy, so a
 * client that submits in bursts is not cut up; a client that stays away longer is left
 * out until it has packets again. The channels of one client (sessions with
 * the same label) advance together: in a period where one of its started channels has no
 * packet yet, none of them is taken, so its left and right never drift apart by the
 * moment it submitted each. Only periods some client fed are
 * queued at the driver; when nobody feeds, the driver plays its own silence.
 *
 * Differences from Genode's mixer: one clamp after the sum instead of after every client
 * (see mix.ts), no channel_list report, and volumes are taken from the config when the
 * session is created.
 */
import { AttachedRomDataspace } from '../../../../base/src/lib/attached_dataspace.js';
import type { Env } from '../../../../base/src/lib/env.js';
import { RootComponent, type SessionContext } from '../../../../base/src/lib/root_component.js';
import type { SignalHandler } from '../../../../base/src/lib/signal.js';
import { BadArgument } from '../../../../base/src/errors.js';
import { stringArg } from '../../../../base/src/session/args.js';
import { XmlNode } from '../../../../base/src/util/xml_node.js';
import { describeError, openLog, type Log } from '../../lib/log.js';
import { SessionPolicies } from '../../lib/session_policy.js';
import { AudioOutConnection } from '../../session/audio_out/connection.js';
import { AudioOutSession, channelNumber } from '../../session/audio_out/session.js';
import { AudioOutSessionComponent } from '../../session/audio_out/session_component.js';
import { AllocFailed, PERIOD, SAMPLE_RATE } from '../../session/audio_out/stream.js';
import { TimerConnection } from '../../session/timer/connection.js';
import { MAX_VOLUME, mixPeriod, parseVolume, type MixInput } from './mix.js';

/** Periods queued at the driver (~46 ms): enough to ride out a busy moment, short enough for latency. */
export const AHEAD = 4;
/**
 * Driver periods the mixer waits for a started session that has no packet while others
 * have (less than AHEAD, so the driver never runs dry for it); then it mixes without it
 * until it has packets again.
 */
export const HOLD_PERIODS = 2;
/** Periods an idle mixer waits at most for every started session to have a packet (~93 ms). */
export const JOIN_PERIODS = 8;
const PERIOD_US = Math.round((PERIOD * 1_000_000) / SAMPLE_RATE);
const CHANNELS = 2;

interface Client {
  session: AudioOutSessionComponent;
  channel: number;
  volume: number;
}

class Mixer {
  /** the clients of each channel, in the order they opened their sessions */
  private readonly clients: Client[][] = Array.from({ length: CHANNELS }, () => []);
  /** one period per contributing client, reused */
  private readonly scratch: number[][] = [];
  private readonly outBuf = new Array<number>(PERIOD).fill(0);
  private pumping = false;
  private again = false;
  private joining = false;
  /** Driver periods played while some started session had no packet (see HOLD_PERIODS). */
  private held = 0;
  mixed = 0;

  constructor(
    private readonly out: AudioOutConnection[],
    private readonly timer: TimerConnection,
    readonly outVolume: number,
    private readonly log: Log,
  ) {
    timer.onTimeout(() => {
      if (!this.joining) return; /* everybody arrived before the timeout */
      this.joining = false;
      this.held = HOLD_PERIODS;
      return this.pump();
    });
  }

  add(c: Client): void {
    this.clients[c.channel]!.push(c);
  }

  remove(session: AudioOutSessionComponent): void {
    for (const list of this.clients) {
      const i = list.findIndex((c) => c.session === session);
      if (i >= 0) list.splice(i, 1);
    }
  }

  private anyData(): boolean {
    return this.clients.some((list) => list.some((c) => c.session.take() !== undefined));
  }

  private allStartedHaveData(): boolean {
    return this.clients.every((list) => list.every((c) => !c.session.active || c.session.take() !== undefined));
  }

  /**
   * A client submitted into an empty queue. Playing: pump (progress keeps it going). Idle:
   * begin once every started session has a packet, at the latest JOIN_PERIODS from now.
   */
  async dataAvail(): Promise<void> {
    if (this.out[0]!.stream.queued() > 0) return this.pump();
    if (!this.anyData()) return;
    if (this.allStartedHaveData()) {
      this.joining = false;
      return this.pump();
    }
    if (this.joining) return;
    this.joining = true;
    await this.timer.session.triggerOnce(JOIN_PERIODS * PERIOD_US);
  }

  /** The driver played a period. */
  progress(): Promise<void> {
    if (!this.allStartedHaveData()) this.held++;
    return this.pump();
  }

  /** Mixes periods until AHEAD are queued at the driver or no client has data. */
  async pump(): Promise<void> {
    if (this.pumping) {
      this.again = true;
      return;
    }
    this.pumping = true;
    try {
      do {
        this.again = false;
        while (!this.joining && this.out[0]!.stream.queued() < AHEAD && this.anyData()) {
          if (this.allStartedHaveData()) this.held = 0;
          else if (this.held < HOLD_PERIODS) break; /* a late packet still has time */
          await this.mixOne();
        }
      } while (this.again);
    } finally {
      this.pumping = false;
    }
  }

  private async mixOne(): Promise<void> {
    const packets = [];
    try {
      for (const o of this.out) packets.push(o.stream.alloc());
    } catch (e) {
      if (e instanceof AllocFailed) return; /* the driver's queue is full: its progress calls again */
      throw e;
    }
    /* labels with a started channel that has nothing: none of their channels is taken */
    const waiting = new Set<string>();
    for (const list of this.clients) for (const c of list) if (c.session.active && !c.session.take()) waiting.add(c.session.label);
    for (let ch = 0; ch < CHANNELS; ch++) {
      const inputs: MixInput[] = [];
      const played = [];
      for (const c of this.clients[ch]!) {
        const p = waiting.has(c.session.label) ? undefined : c.session.take();
        if (!p) {
          c.session.underrun();
          continue;
        }
        const into = (this.scratch[inputs.length] ??= new Array<number>(PERIOD).fill(0));
        inputs.push({ samples: AudioOutSessionComponent.samples(p, into), volume: c.volume });
        played.push({ c, p });
      }
      mixPeriod(this.outBuf, inputs, this.outVolume);
      packets[ch]!.content(this.outBuf);
      for (const { c, p } of played) {
        c.session.played(p);
        c.session.progressSubmit();
      }
    }
    this.mixed++;
    await AudioOutConnection.submitTogether(this.out, packets);
  }
}

class MixerRoot extends RootComponent<AudioOutSession> {
  private dataAvail!: SignalHandler;

  constructor(
    env: Env,
    private readonly mixer: Mixer,
    private readonly policies: SessionPolicies<number>,
    private readonly defaultVolume: number,
    private readonly log: Log,
  ) {
    super(env, AudioOutSession, 'Audio_out');
  }

  async init(): Promise<void> {
    this.dataAvail = await this.env.signalHandler(() => this.mixer.dataAvail());
  }

  protected async createSession(ctx: SessionContext): Promise<AudioOutSession> {
    const name = stringArg(ctx.args, 'channel');
    const channel = channelNumber(name);
    if (channel === undefined) throw new BadArgument(`Audio_out session "${ctx.label}": no channel "${name}" (left or right)`);
    const volume = this.policies.select(ctx.label) ?? this.defaultVolume;
    const session = await AudioOutSessionComponent.create(this.env, ctx, name, this.dataAvail.cap);
    this.mixer.add({ session, channel, volume });
    await this.log(`client "${ctx.label}" channel ${name}: volume ${volume}`);
    return session;
  }

  protected override async destroySession(session: AudioOutSession): Promise<void> {
    const s = session as AudioOutSessionComponent;
    this.mixer.remove(s);
    if (s.stats.underruns > 0) await this.log(`client "${s.label}" channel ${s.channel} closed: ${s.stats.played} periods mixed, ${s.stats.underruns} without a packet`);
    await s.destroy();
  }
}

export async function construct(env: Env): Promise<void> {
  const log = await openLog(env);
  let policies: SessionPolicies<number>;
  let defaultVolume = MAX_VOLUME;
  let outVolume = MAX_VOLUME;
  try {
    const config = XmlNode.parse((await AttachedRomDataspace.open(env, 'config')).text(), 'config of mixer');
    const d = config.children().find((n) => n.type === 'default');
    if (d?.hasAttr('volume')) defaultVolume = parseVolume(d.attr('volume'), '<default>');
    if (d?.hasAttr('out_volume')) outVolume = parseVolume(d.attr('out_volume'), '<default> out_volume');
    policies = SessionPolicies.parse(config, (n, what) => (n.hasAttr('volume') ? parseVolume(n.attr('volume'), what) : defaultVolume));
  } catch (e) {
    await log(`Error: bad config: ${describeError(e)}`);
    return env.exit(1);
  }
  const out: AudioOutConnection[] = [];
  try {
    out.push(await AudioOutConnection.open(env, 'left', { label: 'left', progressSignal: true, allocSignal: false }));
    out.push(await AudioOutConnection.open(env, 'right', { label: 'right', allocSignal: false }));
    for (const o of out) await o.start();
  } catch (e) {
    await log(`Error: no Audio_out session of the driver: ${describeError(e)}`);
    return env.exit(1);
  }
  const mixer = new Mixer(out, await TimerConnection.open(env), outVolume, log);
  out[0]!.onProgress(() => mixer.progress());
  const root = new MixerRoot(env, mixer, policies, defaultVolume, log);
  await root.init();
  await root.announce();
  await log(`mixing into the driver's left and right channels, default volume ${defaultVolume}, output volume ${outVolume}`);
}
