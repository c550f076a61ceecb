/** Compare node body: the two incoming videos side by side, played, paused and seeked together. */
import { useRef } from 'react';
import { useAtomValue } from 'jotai';
import type { VideoValue } from '../../engine/types.js';
import type { SpecialProps } from './registry.js';
import { outputsAtom } from '../state/run.js';
import { useUpstream } from './hooks.js';
import { VideoPlayer } from './VideoPlayer.js';
import { SyncScore } from './OutputPanel.js';

export function ComparePanel({ node, info }: SpecialProps) {
  const up = useUpstream(node.id);
  const outputs = useAtomValue(outputsAtom);
  const sides: Array<{ port: string; from: string; video?: VideoValue }> = Object.keys(info.inputs)
    .filter((p) => info.inputs[p]!.type === 'video' && (!info.inputs[p]!.optional || up.has(p)))
    .map((p) => {
      const u = up.get(p);
      return { port: p, from: u?.node.id ?? '', video: u ? (outputs[u.node.id]?.[u.port] as VideoValue | undefined) : undefined };
    });
  const refs = useRef<Array<HTMLVideoElement | null>>([]);
  const ready = sides.filter((s) => s.video);
  if (!ready.length) return <div className="thumb empty video-empty">Run to compare the incoming videos</div>;
  const all = () => refs.current.filter((v): v is HTMLVideoElement => !!v);
  const playBoth = () => {
    const vs = all();
    const t = vs[0]?.currentTime ?? 0;
    for (const v of vs) {
      v.currentTime = t;
      void v.play();
    }
  };
  const pauseBoth = () => all().forEach((v) => v.pause());
  const seekBoth = (t: number) => all().forEach((v) => (v.currentTime = t));
  return (
    <div className="compare nodrag">
      <div className="compare-row">
        {sides.map((s, i) => (
          <figure key={s.port}>
            {s.video ? (
              <VideoPlayer ref={(el) => void (refs.current[i] = el)} video={s.video} label={`Compare ${s.port} (${s.from})`} controls={false} />
            ) : (
              <div className="thumb empty">{s.port}: not rendered</div>
            )}
            <figcaption>
              {s.port}: {s.from || 'not connected'}
              {s.video && <SyncScore video={s.video} />}
            </figcaption>
          </figure>
        ))}
      </div>
      <div className="output-actions">
        <button type="button" className="btn small" onClick={playBoth} aria-label={`Play both in ${node.id}`}>
          ▶ Play both
        </button>
        <button type="button" className="btn small" onClick={pauseBoth} aria-label={`Pause both in ${node.id}`}>
          ❚❚
        </button>
        <button type="button" className="btn small" onClick={() => seekBoth(0)} aria-label={`Rewind both in ${node.id}`}>
          ⏮
        </button>
      </div>
    </div>
  );
}
