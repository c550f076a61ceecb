/** Audio File: any audio (or video with sound) ffmpeg can read, passed on as-is. */
import { audioSourceNode } from './load-audio.js';

export const audioFileNode = audioSourceNode({
  type: 'audio-file',
  title: 'Audio File',
  description: 'An audio file (WAV, MP3, M4A/AAC, FLAC, OGG, Opus, WebM, or a video with sound) that drives the video.',
  picker: 'Audio file',
});
