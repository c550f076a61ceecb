import { forwardRef } from 'react';
import type { VideoValue } from '../../engine/types.js';
import { fileUrl } from '../api/client.js';

/** Prefer the WebM preview: the desktop shell (NW.js) cannot decode H.264/AAC. */
export function playableUrl(v: VideoValue): string {
  return fileUrl(v.previewPath ?? v.path, `${v.frames}-${v.durationSec}-${(v as { bytes?: number }).bytes ?? ''}`);
}

export const VideoPlayer = forwardRef<HTMLVideoElement, { video: VideoValue; label: string; controls?: boolean }>(function VideoPlayer(
  { video, label, controls = true },
  ref,
) {
  return (
    <video
      ref={ref}
      className="player nodrag nowheel"
      src={playableUrl(video)}
      controls={controls}
      preload="auto"
      playsInline
      aria-label={label}
      width={video.width}
      height={video.height}
    />
  );
});
