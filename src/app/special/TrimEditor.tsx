/** Trim node body: waveform of the incoming audio with a region whose handles set start/end. */
import type { SpecialProps } from './registry.js';
import { fileUrl } from '../api/client.js';
import { useUpstreamAudioPath } from './hooks.js';
import { Waveform } from './Waveform.js';
import { trimSelectionParams } from './trim-selection.js';

/** Find the start/end params whatever the node calls them (start, startSec, end, endSec, duration). */
export function trimParams(keys: string[]): { start?: string; end?: string; duration?: string } {
  return {
    start: keys.find((k) => /^start/i.test(k)),
    end: keys.find((k) => /^end/i.test(k)),
    duration: keys.find((k) => /^(duration|length)/i.test(k)),
  };
}

export function TrimEditor({ node, info, setParams }: SpecialProps) {
  const audio = useUpstreamAudioPath(node.id);
  const k = trimParams(Object.keys(info.params));
  if (!audio) return <div className="thumb empty">Connect audio to trim it</div>;
  if (!k.start || (!k.end && !k.duration)) return null;
  const start = Number(node.params[k.start] ?? 0);
  const dur = k.duration ? node.params[k.duration] : undefined;
  const endRaw = typeof dur === 'number' ? start + dur : k.end ? Number(node.params[k.end] ?? 0) : 0;
  return (
    <Waveform
      url={fileUrl(audio)}
      label={`trim of ${node.id}`}
      selection={{
        start,
        end: endRaw > start ? endRaw : undefined,
        onChange: (s, e) => setParams(trimSelectionParams(k, node.params, s, e)),
      }}
    />
  );
}
