/**
 * Speaking indicator: the RMS level of each stream's audio from a WebAudio AnalyserNode, polled
 * a few times a second, through a gate with hysteresis (a louder threshold to start than to
 * keep speaking, and a hold time) so the ring around a tile does not flicker between words.
 */

export interface SpeakingGateOptions {
  /** RMS (0..1) above which speech starts */
  onLevel: number;
  /** RMS below which speech may stop */
  offLevel: number;
  /** stay "speaking" this long after the level drops */
  holdMs: number;
}

export const SPEAKING_DEFAULTS: SpeakingGateOptions = {
  onLevel: 0.04,
  offLevel: 0.02,
  holdMs: 400,
};

/** Pure: feed (level, time) samples, get speaking yes/no. */
export function makeSpeakingGate(o: SpeakingGateOptions = SPEAKING_DEFAULTS) {
  let speaking = false;
  let lastLoud = -Infinity;
  return (level: number, now: number): boolean => {
    if (level >= o.onLevel || (speaking && level >= o.offLevel)) lastLoud = now;
    speaking = level >= o.onLevel || (speaking && now - lastLoud < o.holdMs);
    return speaking;
  };
}

/** RMS of time-domain samples in -1..1. */
export function rms(samples: Float32Array): number {
  if (samples.length === 0) return 0;
  let sum = 0;
  for (const v of samples) sum += v * v;
  return Math.sqrt(sum / samples.length);
}

export interface SpeakingMonitor {
  /** start measuring a stream under a key (replaces an earlier stream for that key) */
  watch(key: string, stream: MediaStream): void;
  unwatch(key: string): void;
  destroy(): void;
}

export const SPEAKING_POLL_MS = 100;
const ANALYSER_WINDOW_SAMPLES = 8192;

/**
 * One AudioContext for all streams. Where WebAudio is missing (Node) or the context cannot be
 * created, it watches nothing and the UI simply shows no indicator.
 */
export function makeSpeakingMonitor(
  onChange: (key: string, speaking: boolean) => void,
  createContext: () => AudioContext | null = defaultContext,
): SpeakingMonitor {
  let ctx: AudioContext | null = null;
  const entries = new Map<
    string,
    {
      source: MediaStreamAudioSourceNode;
      analyser: AnalyserNode;
      gate: ReturnType<typeof makeSpeakingGate>;
      speaking: boolean;
      buf: Float32Array<ArrayBuffer>;
    }
  >();
  let timer: ReturnType<typeof setInterval> | undefined;
  let destroyed = false;

  const poll = () => {
    const now = Date.now();
    for (const [key, e] of entries) {
      e.analyser.getFloatTimeDomainData(e.buf);
      const speaking = e.gate(rms(e.buf), now);
      if (speaking !== e.speaking) {
        e.speaking = speaking;
        onChange(key, speaking);
      }
    }
  };

  const unwatch = (key: string) => {
    const e = entries.get(key);
    if (!e) return;
    entries.delete(key);
    e.source.disconnect();
    if (e.speaking) onChange(key, false);
    if (entries.size === 0) {
      clearInterval(timer);
      timer = undefined;
    }
  };

  return {
    watch(key, stream) {
      if (destroyed) return;
      unwatch(key);
      if (stream.getAudioTracks().length === 0) return;
      try {
        ctx ??= createContext();
        if (!ctx) return;
        // a context created outside a user gesture starts suspended
        if (ctx.state === 'suspended') void ctx.resume().catch(() => undefined);
        const source = ctx.createMediaStreamSource(stream);
        const analyser = ctx.createAnalyser();
        // The window must span the whole poll interval (8192 samples >= 170 ms at 48 kHz, against
        // a 100 ms poll): a 10 ms window sampled every 100 ms saw only a tenth of the signal and,
        // phase-locked to a periodic sound, could miss a short syllable or beep every time.
        analyser.fftSize = ANALYSER_WINDOW_SAMPLES;
        source.connect(analyser); // not to the destination: the <audio> element plays it
        entries.set(key, {
          source,
          analyser,
          gate: makeSpeakingGate(),
          speaking: false,
          buf: new Float32Array(analyser.fftSize),
        });
        timer ??= setInterval(poll, SPEAKING_POLL_MS);
      } catch {
        // no indicator for this stream; the call itself is unaffected
      }
    },
    unwatch,
    destroy() {
      if (destroyed) return;
      destroyed = true;
      for (const key of [...entries.keys()]) unwatch(key);
      clearInterval(timer);
      void ctx?.close().catch(() => undefined);
      ctx = null;
    },
  };
}

function defaultContext(): AudioContext | null {
  const Ctor = (globalThis as { AudioContext?: typeof AudioContext }).AudioContext;
  return Ctor ? new Ctor() : null;
}
