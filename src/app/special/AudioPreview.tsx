/** Audio File node body: the waveform of the chosen file with play/pause. */
import type { SpecialProps } from './registry.js';
import { fileUrl } from '../api/client.js';
import { Waveform } from './Waveform.js';

export function AudioPreview({ node, info }: SpecialProps) {
  const path = String(node.params[info.fileParams[0] ?? 'path'] ?? '');
  if (!path) return <div className="thumb empty">No audio yet — choose a file or drop one on the canvas</div>;
  return <Waveform url={fileUrl(path)} label={`audio of ${node.id}`} />;
}
