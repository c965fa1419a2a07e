/**
 * The recording player: wavesurfer.js draws the waveform (one row per channel: the stereo file has
 * the agent on the left channel, the customer on the right) and drives a media element the page
 * owns, so playback time can be read from it (tests) and seeking is the element's own.
 * Playback time goes to `onTime` on every animation frame while playing; the hook's own state
 * changes only on play/pause, ready and whole seconds, so the page does not re-render per frame.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import WaveSurfer from 'wavesurfer.js';
import RegionsPlugin from 'wavesurfer.js/dist/plugins/regions.esm.js';

export interface WaveMarker {
  offsetMs: number;
  label: string;
  tone: 'warn' | 'error' | 'neutral';
}

export interface ReplayPlayer {
  containerRef: React.RefObject<HTMLDivElement | null>;
  mediaRef: React.RefObject<HTMLAudioElement | null>;
  ready: boolean;
  playing: boolean;
  /** Whole seconds played (for the time read-out). */
  second: number;
  durationMs: number;
  error: string | null;
  togglePlay(): void;
  /** Seeks to `seconds` and keeps playing if it was. */
  seek(seconds: number): void;
  skip(deltaSeconds: number): void;
}

function cssColor(name: string, fallback: string): string {
  const value = typeof window === 'undefined' ? '' : getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return value || fallback;
}

export function useReplayPlayer(url: string | null, markers: readonly WaveMarker[], onTime: (ms: number) => void): ReplayPlayer {
  const containerRef = useRef<HTMLDivElement | null>(null);
  const mediaRef = useRef<HTMLAudioElement | null>(null);
  const waveRef = useRef<WaveSurfer | null>(null);
  const regionsRef = useRef<RegionsPlugin | null>(null);
  const onTimeRef = useRef(onTime);
  onTimeRef.current = onTime;
  const [ready, setReady] = useState(false);
  const [playing, setPlaying] = useState(false);
  const [second, setSecond] = useState(0);
  const [durationMs, setDurationMs] = useState(0);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const container = containerRef.current;
    const media = mediaRef.current;
    if (!url || !container || !media) return;
    setReady(false);
    setError(null);
    const regions = RegionsPlugin.create();
    const agent = cssColor('--agent', '#1d6b3f');
    const customer = cssColor('--customer', '#0a4f99');
    const progress = cssColor('--muted', '#4b5563');
    const wave = WaveSurfer.create({
      container,
      media,
      url,
      height: 64,
      normalize: true,
      dragToSeek: true,
      cursorColor: cssColor('--text', '#15191e'),
      cursorWidth: 2,
      splitChannels: [
        { waveColor: agent, progressColor: progress },
        { waveColor: customer, progressColor: progress },
      ],
      plugins: [regions],
    });
    waveRef.current = wave;
    regionsRef.current = regions;
    const time = (seconds: number) => {
      onTimeRef.current(seconds * 1000);
      setSecond(Math.floor(seconds));
    };
    const subscriptions = [
      wave.on('ready', (duration) => {
        setDurationMs(duration * 1000);
        setReady(true);
      }),
      wave.on('timeupdate', time),
      wave.on('play', () => setPlaying(true)),
      wave.on('pause', () => setPlaying(false)),
      wave.on('finish', () => setPlaying(false)),
      wave.on('error', (err) => setError(err.message || 'the recording could not be loaded')),
    ];
    return () => {
      for (const off of subscriptions) off();
      wave.destroy();
      waveRef.current = null;
      regionsRef.current = null;
    };
  }, [url]);

  // Event markers on the waveform (a thin line each, labelled on hover).
  useEffect(() => {
    const regions = regionsRef.current;
    if (!regions || !ready) return;
    regions.clearRegions();
    const colors = { warn: cssColor('--warn-fg', '#7a4b00'), error: cssColor('--error-fg', '#8a1c1c'), neutral: cssColor('--muted', '#4b5563') };
    for (const m of markers) regions.addRegion({ start: m.offsetMs / 1000, color: colors[m.tone], drag: false, resize: false, id: `${m.offsetMs}-${m.label}` }).element?.setAttribute('title', m.label);
  }, [markers, ready]);

  const togglePlay = useCallback(() => {
    void waveRef.current?.playPause().catch((err: Error) => setError(`playback failed: ${err.message}`));
  }, []);
  const seek = useCallback((seconds: number) => {
    const wave = waveRef.current;
    if (!wave) return;
    wave.setTime(Math.max(0, Math.min(seconds, wave.getDuration() || seconds)));
    onTimeRef.current(wave.getCurrentTime() * 1000);
  }, []);
  const skip = useCallback((delta: number) => {
    const wave = waveRef.current;
    if (wave) seek(wave.getCurrentTime() + delta);
  }, [seek]);

  return { containerRef, mediaRef, ready, playing, second, durationMs, error, togglePlay, seek, skip };
}
