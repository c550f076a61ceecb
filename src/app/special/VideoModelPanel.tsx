/**
 * Video Model node body: an A2V badge when no image is connected; while it renders, the
 * frame being rendered (from the run's progress events, local or remote) and a time estimate;
 * afterwards the model's video, visible at once.
 */
import { useEffect, useState } from 'react';
import { useAtomValue } from 'jotai';
import type { SpecialProps } from './registry.js';
import { nodeOutputsAtom, nodeRunAtom, type NodeRun } from '../state/run.js';
import { fileUrl } from '../api/client.js';
import { useUpstream } from './hooks.js';
import { VideoPlayer } from './VideoPlayer.js';
import { firstVideo, SyncScore } from './OutputPanel.js';

/** "about 12 s left" for a running node, from its own pace so far. */
export function nodeEta(r: NodeRun | undefined, now: number): string | undefined {
  if (r?.state !== 'running' || !r.startedAt || !r.fraction || r.fraction < 0.03) return undefined;
  const elapsed = (now - r.startedAt) / 1000;
  if (elapsed < 0.5) return undefined;
  const left = (elapsed * (1 - r.fraction)) / r.fraction;
  return `about ${left < 60 ? `${Math.max(1, Math.round(left))} s` : `${Math.round(left / 60)} min`} left`;
}

function LiveFrame({ id, r }: { id: string; r: NodeRun }) {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 500);
    return () => clearInterval(t);
  }, []);
  const eta = nodeEta(r, now);
  return (
    <div className="live" aria-label={`Rendering ${id}`}>
      {r.preview ? (
        <div className="live-preview">
          <img src={fileUrl(r.preview, r.previewAt)} alt={`Frame being rendered by ${id}`} />
        </div>
      ) : (
        <div className="thumb empty">Rendering… the first frame appears here</div>
      )}
      <p className="eta" role="status" aria-label={`Time left for ${id}`}>
        {Math.round((r.fraction ?? 0) * 100)}%{r.message ? ` · ${r.message}` : ''}
        {eta ? ` · ${eta}` : ''}
      </p>
    </div>
  );
}

export function VideoModelPanel({ node, info }: SpecialProps) {
  const up = useUpstream(node.id);
  const imagePort = Object.keys(info.inputs).find((p) => info.inputs[p]!.type === 'image');
  const a2v = imagePort !== undefined && !up.has(imagePort);
  const video = firstVideo(useAtomValue(nodeOutputsAtom(node.id)));
  const r = useAtomValue(nodeRunAtom(node.id));
  const changed = r?.state === 'changed';
  return (
    <div className="model-panel nodrag">
      {a2v && (
        <p className="badge a2v" title="No image connected: the model invents the look from the audio (audio-to-video)">
          A2V · no image connected
        </p>
      )}
      {r?.state === 'running' ? (
        <LiveFrame id={node.id} r={r} />
      ) : (
        video && (
          <figure className="preview">
            <figcaption className="hint">
              {changed ? 'Last render (before your change)' : 'Render'} · {video.width}×{video.height} · {video.durationSec.toFixed(1)} s
            </figcaption>
            <VideoPlayer video={video} label={`Preview of ${node.id}`} />
          </figure>
        )
      )}
      {video && !changed && r?.state !== 'running' && <SyncScore video={video} />}
    </div>
  );
}
