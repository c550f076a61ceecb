/**
 * Mic: a recording made in the studio (the browser recorder saves WebM/Opus or MP4 as an
 * asset). Once recorded it is a file like any other, so it is cached by content.
 */
import { audioSourceNode } from '../audio-file/load-audio.js';

export const micNode = audioSourceNode({
  type: 'mic',
  title: 'Mic',
  description: 'Record your voice or an instrument in the studio; the recording drives the video.',
  picker: 'Recording',
  label: 'Mic',
});
