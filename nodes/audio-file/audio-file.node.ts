/** Audio File: any audio (or video with sound) ffmpeg can read, passed on as-is. */
import { defineNode, fileSource } from '../../src/engine/index.js';
import { loadAudioFile } from './load-audio.js';

export const audioFileNode = defineNode({
  type: 'audio-file',
  version: 1,
  title: 'Audio File',
  description: 'An audio file (WAV, MP3, M4A/AAC, FLAC, OGG, Opus, WebM, or a video with sound) that drives the video.',
  ...fileSource('audio', 'Audio file'),
  async evaluate({ params, ctx }) {
    return { audio: await loadAudioFile(params.path, ctx) };
  },
});
