/** Video Model node body: an A2V badge when no image is connected, and the model's last preview. */
import { useAtomValue } from 'jotai';
import type { SpecialProps } from './registry.js';
import { nodeOutputsAtom } from '../state/run.js';
import { useUpstream } from './hooks.js';
import { VideoPlayer } from './VideoPlayer.js';
import { firstVideo, SyncScore } from './OutputPanel.js';

export function VideoModelPanel({ node, info }: SpecialProps) {
  const up = useUpstream(node.id);
  const imagePort = Object.keys(info.inputs).find((p) => info.inputs[p]!.type === 'image');
  const a2v = imagePort !== undefined && !up.has(imagePort);
  const video = firstVideo(useAtomValue(nodeOutputsAtom(node.id)));
  return (
    <div className="model-panel nodrag">
      {a2v && (
        <p className="badge a2v" title="No image connected: the model invents the look from the audio (audio-to-video)">
          A2V · no image connected
        </p>
      )}
      {video && (
        <details className="preview">
          <summary>
            Preview · {video.width}×{video.height} · {video.durationSec.toFixed(1)} s
          </summary>
          <VideoPlayer video={video} label={`Preview of ${node.id}`} />
        </details>
      )}
      {video && <SyncScore video={video} />}
    </div>
  );
}
