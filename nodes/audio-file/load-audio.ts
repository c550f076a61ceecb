/**
 * Shared by Audio File and Mic: check that a file really is usable audio and describe it
 * as an AudioValue pointing at the original file. Every failure is one line naming the file.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { S2VError, type AudioValue, type MediaService, type NodeContext } from '../../src/engine/index.js';

export async function loadAudioFile(file: string, ctx: NodeContext, label?: string): Promise<AudioValue> {
  const where = `node "${ctx.nodeId}"`;
  if (!file) throw new S2VError('E107', 'no audio file chosen', { where, hint: 'set the path param or --input audio=FILE' });
  let audio = await describeAudioFile(ctx.services.media, file, ctx.signal);
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
 * The checks and probe behind loadAudioFile, without a node: also used by `s2v analyze`, so
 * the CLI accepts exactly the files the nodes accept (e.g. a duration-less Mic WebM).
 */
export async function describeAudioFile(media: MediaService, file: string, signal?: AbortSignal): Promise<AudioValue> {
  let size: number;
  try {
    const st = await fs.stat(file);
    if (!st.isFile()) throw new S2VError('E108', 'not a regular file', { where: file });
    size = st.size;
  } catch (e) {
    if (e instanceof S2VError) throw e;
    throw new S2VError('E108', 'audio file not found', { where: file, hint: 'check the path' });
  }
  if (size === 0) throw new S2VError('E110', 'audio file is empty (0 bytes)', { where: file });
  const probe = await media.probe(file, signal);
  if (!probe.audio) {
    throw new S2VError('E110', probe.video ? 'has a video stream but no audio' : 'has no audio stream', { where: file, hint: 'pick a file with sound' });
  }
  let durationSec = probe.audio.durationSec || probe.durationSec;
  if (!(durationSec > 0)) durationSec = await measureByDecoding(media, file, signal);
  if (!(durationSec > 0)) throw new S2VError('E110', 'contains no audio samples (zero length)', { where: file });
  return { kind: 'audio', path: file, durationSec, sampleRate: probe.audio.sampleRate, channels: probe.audio.channels };
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
  const real = await measureByDecoding(ctx.services.media, file, ctx.signal);
  if (!(real > 0)) throw new S2VError('E110', 'contains no audio samples (zero length)', { where: file });
  if (audio.durationSec - real < Math.max(0.5, 0.02 * audio.durationSec)) return audio;
  ctx.warn(`${file}: the file ends after ${real.toFixed(1)} s of the ${audio.durationSec.toFixed(1)} s its header declares (truncated download?); using the ${real.toFixed(1)} s that are there`);
  return { ...audio, durationSec: real };
}

/**
 * A browser's MediaRecorder writes WebM as a live stream, with no duration in its header, so
 * ffprobe reports none. Count the decoded samples instead (cheap at a low rate).
 */
async function measureByDecoding(media: MediaService, file: string, signal?: AbortSignal): Promise<number> {
  const rate = 8000;
  let samples = 0;
  for await (const chunk of media.decodeAudioStream(file, { sampleRate: rate, signal })) samples += chunk.length;
  return samples / rate;
}
