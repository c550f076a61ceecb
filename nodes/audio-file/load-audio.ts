/**
 * Shared by Audio File and Mic, which differ only in name and wording: check that a file
 * really is usable audio (the media service's describeAudio) and describe it as an AudioValue
 * pointing at the original file, with the nodes' warnings. Every failure is one line naming
 * the file.
 */
import path from 'node:path';
import { defineNode, fileSource, S2VError, type AudioValue, type NodeContext } from '../../src/engine/index.js';

interface AudioSourceWording {
  type: string;
  title: string;
  description: string;
  /** The file picker's label. */
  picker: string;
  /** How the audio is named downstream (the file's name when absent). */
  label?: string;
}

/** A source node that passes one checked audio file on as-is (a new version here bumps both). */
export function audioSourceNode(w: AudioSourceWording) {
  return defineNode({
    type: w.type,
    version: 1,
    title: w.title,
    description: w.description,
    ...fileSource('audio', w.picker),
    async evaluate({ params, ctx }) {
      return { audio: await loadAudioFile(params.path, ctx, w.label) };
    },
  });
}

export async function loadAudioFile(file: string, ctx: NodeContext, label?: string): Promise<AudioValue> {
  const where = `node "${ctx.nodeId}"`;
  if (!file) throw new S2VError('E107', 'no audio file chosen', { where, hint: 'set the path param or --input audio=FILE' });
  let audio = await ctx.services.media.describeAudio(file, ctx.signal);
  audio = await checkMp3Length(ctx, file, audio);
  if (audio.sampleRate < 16000) {
    ctx.warn(`${path.basename(file)}: low sample rate (${audio.sampleRate} Hz) — high-frequency curves will be flat; a 44.1 kHz source gives better results`);
  }
  if (audio.channels > 2) {
    ctx.log(`${path.basename(file)}: ${audio.channels} channels are mixed down for analysis`);
  }
  return { ...audio, label: label ?? path.basename(file) };
}

/**
 * An MP3's length comes from its header, so a download cut short still claims the whole song
 * and the video would run on in silence. Decoding (cheap at 8 kHz) gives the real length; a
 * partial song is still worth using, so the audio is cut to what is there with a warning
 * saying how much was lost (decided in issue #15; images, in contrast, are refused).
 */
async function checkMp3Length(ctx: NodeContext, file: string, audio: AudioValue): Promise<AudioValue> {
  const probe = await ctx.services.media.probe(file, ctx.signal);
  if (probe.audio?.codec !== 'mp3') return audio;
  const real = await ctx.services.media.decodedAudioSeconds(file, ctx.signal);
  if (!(real > 0)) throw new S2VError('E110', 'contains no audio samples (zero length)', { where: file });
  if (audio.durationSec - real < Math.max(0.5, 0.02 * audio.durationSec)) return audio;
  ctx.warn(`${file}: the file ends after ${real.toFixed(1)} s of the ${audio.durationSec.toFixed(1)} s its header declares (truncated download?); using the ${real.toFixed(1)} s that are there`);
  return { ...audio, durationSec: real };
}
