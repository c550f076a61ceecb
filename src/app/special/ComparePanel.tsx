/** Compare node body: the two incoming videos side by side, played, paused and seeked together. */
import { useRef } from 'react';
import { useAtomValue } from 'jotai';
import type { VideoValue } from '../../engine/types.js';
import type { SpecialProps } from './registry.js';
import { outputsAtom } from '../state/run.js';
import { useUpstream } from './hooks.js';
import { VideoPlayer } from './VideoPlayer.js';
import { SyncScore } from './OutputPanel.js';
import { Icon } from './Icon.js';
import { modelsAtom } from '../state/catalog.js';
import { docAtom } from '../state/doc.js';
import type { GraphDoc } from '../../engine/graph.js';
import { ancestorsOf } from '../../engine/validate.js';

/**
 * The name of the model that made the video arriving from `nodeId`: the nearest node upstream
 * (itself included) with a `model` param, as the model's title; undefined when there is none.
 */
export function modelNameOf(doc: GraphDoc, nodeId: string, titles: Map<string, string>): string | undefined {
  for (const id of ancestorsOf(doc, nodeId)) {
    const m = doc.nodes.find((x) => x.id === id)?.params.model;
    if (typeof m === 'string' && m) return titles.get(m) ?? m;
  }
  return undefined;
}

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
  const doc = useAtomValue(docAtom);
  const titles = new Map(useAtomValue(modelsAtom).map((m) => [m.id, m.title]));
  const names = sides.map((s) => (s.from ? (modelNameOf(doc, s.from, titles) ?? s.video?.label ?? s.from) : undefined));
  // Two sides with the same model are told apart by the node that made them.
  const labelOf = (i: number) => {
    const n = names[i];
    if (!n) return 'not connected';
    return names.filter((x) => x === n).length > 1 ? `${n} (${sides[i]!.from})` : n;
  };
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
              <VideoPlayer ref={(el) => void (refs.current[i] = el)} video={s.video} label={`Compare ${labelOf(i)}`} controls={false} />
            ) : (
              <div className="thumb empty">{s.port}: not rendered</div>
            )}
            <figcaption>
              <strong>{labelOf(i)}</strong>
              {s.video && <SyncScore video={s.video} />}
            </figcaption>
          </figure>
        ))}
      </div>
      <div className="output-actions">
        <button type="button" className="btn small" onClick={playBoth} aria-label={`Play both in ${node.id}`}>
          <Icon name="play" /> Play both
        </button>
        <button type="button" className="btn small" onClick={pauseBoth} aria-label={`Pause both in ${node.id}`}>
          <Icon name="pause" />
        </button>
        <button type="button" className="btn small" onClick={() => seekBoth(0)} aria-label={`Rewind both in ${node.id}`}>
          <Icon name="rewind" />
        </button>
      </div>
    </div>
  );
}
