/**
 * Mic: a recording made in the studio (the browser recorder saves WebM/Opus or MP4 as an
 * asset). Once recorded it is a file like any other, so it is cached by content.
 */
import { defineNode, fileSource } from '../../src/engine/index.js';
import { loadAudioFile } from '../audio-file/load-audio.js';

export const micNode = defineNode({
  type: 'mic',
  version: 1,
  title: 'Mic',
  description: 'Record your voice or an instrument in the studio; the recording drives the video.',
  ...fileSource('audio', 'Recording'),
  async evaluate({ params, ctx }) {
    return { audio: await loadAudioFile(params.path, ctx, 'Mic') };
  },
});
