import { forwardRef } from 'react';
import type { VideoValue } from '../../engine/types.js';
import { fileUrl } from '../api/client.js';

let h264: boolean | undefined;
/** Can this browser play the real H.264/AAC .mp4? (NW.js's standard build cannot.) */
export function playsMp4(): boolean {
  h264 ??= typeof document !== 'undefined' && document.createElement('video').canPlayType('video/mp4; codecs="avc1.42E01E, mp4a.40.2"') !== '';
  return h264;
}

/**
 * The file to play: the WebM preview, or with `full` the real output where the browser can
 * decode it (its full size and quality, not the small preview).
 */
export function playableUrl(v: VideoValue, full = false): string {
  const file = full && (playsMp4() || !v.previewPath) ? v.path : (v.previewPath ?? v.path);
  return fileUrl(file, `${v.frames}-${v.durationSec}-${(v as { bytes?: number }).bytes ?? ''}`);
}

export const VideoPlayer = forwardRef<HTMLVideoElement, { video: VideoValue; label: string; controls?: boolean; full?: boolean }>(function VideoPlayer(
  { video, label, controls = true, full = false },
  ref,
) {
  return (
    <video
      ref={ref}
      className="player nodrag nowheel"
      src={playableUrl(video, full)}
      controls={controls}
      preload="auto"
      playsInline
      aria-label={label}
      width={video.width}
      height={video.height}
    />
  );
});
