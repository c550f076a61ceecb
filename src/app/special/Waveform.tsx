/**
 * An audio waveform with play/pause (wavesurfer.js). With `selection` it shows one region
 * whose handles set a start/end span (the Trim node); the parent's numeric fields and the
 * region stay in sync in both directions.
 */
import { useEffect, useRef, useState } from 'react';
import WaveSurfer from 'wavesurfer.js';
import RegionsPlugin, { type Region } from 'wavesurfer.js/dist/plugins/regions.esm.js';

export interface Selection {
  start: number;
  /** End in seconds; undefined = to the end of the audio. */
  end?: number;
  onChange(start: number, end: number): void;
}

export function Waveform({ url, label, selection, height = 56 }: { url: string; label: string; selection?: Selection; height?: number }) {
  const host = useRef<HTMLDivElement>(null);
  const ws = useRef<WaveSurfer | null>(null);
  const region = useRef<Region | null>(null);
  const sel = useRef(selection);
  sel.current = selection;
  const [playing, setPlaying] = useState(false);
  const [duration, setDuration] = useState(0);
  const [time, setTime] = useState(0);
  const [error, setError] = useState<string>();
  const withRegion = !!selection;

  useEffect(() => {
    if (!host.current) return;
    setError(undefined);
    const regions = withRegion ? RegionsPlugin.create() : undefined;
    const w = WaveSurfer.create({
      container: host.current,
      url,
      height,
      waveColor: '#3ddc97',
      progressColor: '#1b8f5f',
      cursorColor: '#e8e8ee',
      barWidth: 2,
      barGap: 1,
      barRadius: 1,
      normalize: true,
      plugins: regions ? [regions] : [],
    });
    ws.current = w;
    w.on('play', () => setPlaying(true));
    w.on('pause', () => setPlaying(false));
    w.on('finish', () => setPlaying(false));
    w.on('timeupdate', (t) => setTime(t));
    w.on('error', (e) => setError(String((e as Error)?.message ?? e)));
    w.on('decode', (d) => {
      setDuration(d);
      if (!regions) return;
      const s = sel.current!;
      const end = s.end === undefined || s.end <= 0 || s.end > d ? d : s.end;
      region.current = regions.addRegion({
        start: Math.min(s.start, Math.max(0, end - 0.05)),
        end,
        color: 'rgba(108,140,255,0.3)',
        drag: true,
        resize: true,
        minLength: 0.05,
      });
    });
    regions?.on('region-updated', (r) => sel.current?.onChange(round(r.start), round(r.end)));
    return () => {
      region.current = null;
      w.destroy();
      ws.current = null;
    };
  }, [url, withRegion, height]);

  // Numeric fields changed: move the region to match.
  useEffect(() => {
    const r = region.current;
    if (!r || !selection) return;
    const end = selection.end === undefined || selection.end <= 0 ? duration : Math.min(selection.end, duration);
    if (Math.abs(r.start - selection.start) > 0.005 || Math.abs(r.end - end) > 0.005) r.setOptions({ start: selection.start, end });
  }, [selection?.start, selection?.end, duration]);

  return (
    <div className="waveform nodrag">
      <div ref={host} className="waveform-canvas" data-testid="waveform" />
      {error && <p className="hint warn">Cannot show waveform: {error}</p>}
      <div className="waveform-bar">
        <button type="button" className="btn small" aria-label={`${playing ? 'Pause' : 'Play'} ${label}`} onClick={() => void ws.current?.playPause()}>
          {playing ? '❚❚' : '▶'}
        </button>
        {selection && (
          <button type="button" className="btn small" aria-label={`Play selection of ${label}`} onClick={() => region.current?.play(true)}>
            ▶ selection
          </button>
        )}
        <span className="time" aria-label="Playback time">
          {time.toFixed(1)} / {duration.toFixed(1)} s
        </span>
      </div>
    </div>
  );
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
