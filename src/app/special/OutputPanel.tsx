/** Output node body: the rendered video, its sync score, Reveal file, and earlier renders. */
import { useEffect, useState } from 'react';
import { useAtomValue } from 'jotai';
import type { VideoValue } from '../../engine/types.js';
import type { SpecialProps } from './registry.js';
import { nodeOutputsAtom, renderHistoryAtom } from '../state/run.js';
import { fileUrl, reveal } from '../api/client.js';
import { serverInfoAtom } from '../state/catalog.js';
import { announce } from '../state/status.js';
import { VideoPlayer } from './VideoPlayer.js';

export function firstVideo(ports: Record<string, unknown> | undefined): VideoValue | undefined {
  return Object.values(ports ?? {}).find((v): v is VideoValue => !!v && typeof v === 'object' && (v as VideoValue).kind === 'video');
}

export function SyncScore({ video }: { video: VideoValue }) {
  if (!video.sync) return null;
  const pct = (n: number) => `${Math.round(n * 100)}%`;
  return (
    <p className="sync" aria-label="Sync score">
      Sync: onsets {pct(video.sync.onsetCorrelation)} · beats {pct(video.sync.beatAlignment)}
    </p>
  );
}

export function OutputPanel({ node }: SpecialProps) {
  const out = firstVideo(useAtomValue(nodeOutputsAtom(node.id)));
  const history = useAtomValue(renderHistoryAtom)[node.id] ?? [];
  const desktop = useAtomValue(serverInfoAtom).desktop;
  const [pick, setPick] = useState(0);
  const latestAt = history[0]?.renderedAt;
  // A new render arrived: show it, not whatever index was picked before.
  useEffect(() => setPick(0), [latestAt]);
  // After a reload there is no run output yet, but the history still has the last render.
  const video: (VideoValue & { exported?: string }) | undefined = pick > 0 ? (history[pick] ?? out) : (out ?? history[0]);
  if (!video) return <div className="thumb empty video-empty">Run the graph to render a video here</div>;
  // The latest render is revealed where the Output node wrote it; earlier ones where they are cached.
  const file = pick === 0 ? (out?.path ?? video.exported ?? video.path) : video.path;
  return (
    <div className="output nodrag">
      <VideoPlayer key={`${video.path}-${pick}`} video={video} label={`Rendered video of ${node.id}`} full={pick === 0 && !!out} />
      <p className="output-path" aria-label={`Output file of ${node.id}`} title={file}>
        {file}
      </p>
      <div className="output-meta">
        <span>
          {video.width}×{video.height} · {video.fps} fps · {video.durationSec.toFixed(1)} s
        </span>
        <SyncScore video={video} />
      </div>
      <div className="output-actions">
        <a className="btn small" href={fileUrl(file)} download={file.split(/[\\/]/).pop()} aria-label={`Download ${file.split(/[\\/]/).pop()}`}>
          Download
        </a>
        {desktop && (
          <button
            type="button"
            className="btn small"
            aria-label={`Reveal file of ${node.id}`}
            onClick={() => reveal(file).then(() => announce(`Revealed ${file}`), (e: Error) => announce(`Reveal file: ${e.message}`, 'error'))}
          >
            Reveal file
          </button>
        )}
        {history.length > 1 && (
          <label className="history">
            Render
            <select className="nodrag" value={pick} onChange={(e) => setPick(Number(e.target.value))} aria-label={`Render history of ${node.id}`}>
              {history.map((h, i) => (
                <option key={h.path} value={i}>
                  {i === 0 ? 'latest' : 'earlier'} · {new Date(h.renderedAt).toLocaleTimeString()} · {h.width}×{h.height} {h.fps} fps
                </option>
              ))}
            </select>
          </label>
        )}
      </div>
    </div>
  );
}
