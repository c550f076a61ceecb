/** Audio Features node body: small plots of beats, loudness, frequency bands and vocal activity. */
import { useEffect, useRef } from 'react';
import { useAtomValue } from 'jotai';
import type { FeaturesValue } from '../../engine/types.js';
import type { SpecialProps } from './registry.js';
import { nodeOutputsAtom } from '../state/run.js';

const W = 240;
const BAND_COLORS = ['#ff6b6b', '#ffb547', '#3ddc97', '#4fa3ff', '#d38cff', '#c0c0c0'];

function Plot({ label, draw, height = 36 }: { label: string; draw: (g: CanvasRenderingContext2D, w: number, h: number) => void; height?: number }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const c = ref.current;
    const g = c?.getContext('2d');
    if (!c || !g) return;
    const dpr = window.devicePixelRatio || 1;
    c.width = W * dpr;
    c.height = height * dpr;
    g.scale(dpr, dpr);
    g.fillStyle = '#15161c';
    g.fillRect(0, 0, W, height);
    draw(g, W, height);
  });
  return (
    <figure className="plot">
      <figcaption>{label}</figcaption>
      <canvas ref={ref} role="img" aria-label={label} style={{ width: W, height }} />
    </figure>
  );
}

function curve(g: CanvasRenderingContext2D, data: number[], w: number, h: number, color: string) {
  if (!data.length) return;
  let max = 0;
  for (const v of data) max = Math.max(max, Math.abs(v));
  g.strokeStyle = color;
  g.lineWidth = 1;
  g.beginPath();
  data.forEach((v, i) => {
    const x = (i / Math.max(1, data.length - 1)) * w;
    const y = h - 2 - (max ? Math.abs(v) / max : 0) * (h - 4);
    if (i) g.lineTo(x, y);
    else g.moveTo(x, y);
  });
  g.stroke();
}

export function FeaturesPlot({ node }: SpecialProps) {
  const f = Object.values(useAtomValue(nodeOutputsAtom(node.id)) ?? {}).find(
    (v): v is FeaturesValue => !!v && typeof v === 'object' && (v as FeaturesValue).kind === 'features',
  );
  if (!f) return <div className="thumb empty">Run to see beats, loudness, bands and vocals</div>;
  const dur = f.durationSec || 1;
  const names = Object.keys(f.curves);
  const loud = names.find((n) => /loud|rms|energy/i.test(n));
  const bands = names.filter((n) => n !== loud && /band|low|mid|high|bass|treble/i.test(n));
  return (
    <div className="features nodrag">
      <p className="hint">
        {f.tempo.toFixed(0)} BPM · {f.beats.length} beats · {f.onsets.length} onsets
      </p>
      <Plot
        label="Beats"
        draw={(g, w, h) => {
          g.fillStyle = '#ffb547';
          for (const b of f.beats) g.fillRect((b / dur) * w, 4, 1, h - 8);
          g.fillStyle = '#ff6b6b';
          for (const b of f.downbeats) g.fillRect((b / dur) * w - 0.5, 0, 2, h);
        }}
      />
      {loud && <Plot label="Loudness" draw={(g, w, h) => curve(g, f.curves[loud]!, w, h, '#3ddc97')} />}
      {bands.length > 0 && <Plot label="Bands" draw={(g, w, h) => bands.forEach((b, i) => curve(g, f.curves[b]!, w, h, BAND_COLORS[i % BAND_COLORS.length]!))} />}
      <Plot
        label="Vocal activity"
        height={16}
        draw={(g, w, h) => {
          g.fillStyle = '#d38cff';
          for (const [a, b] of f.speech) g.fillRect((a / dur) * w, 2, Math.max(1, ((b - a) / dur) * w), h - 4);
        }}
      />
    </div>
  );
}
