/**
 * Is a file usable audio, and what is it: the checks behind Audio File, Mic and `s2v analyze`,
 * so the CLI accepts exactly the files the nodes accept (e.g. a duration-less Mic WebM).
 * Every failure is one line naming the file.
 */
import fs from 'node:fs/promises';
import { S2VError } from '../engine/errors.js';
import type { AudioValue, MediaService } from '../engine/index.js';

type Decoder = Pick<MediaService, 'probe' | 'decodeAudioStream'>;

/** An AudioValue pointing at the original file, after checking it exists, is not empty and has audio samples. */
export async function describeAudio(media: Decoder, file: string, signal?: AbortSignal): Promise<AudioValue> {
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
  if (!(durationSec > 0)) durationSec = await decodedAudioSeconds(media, file, signal);
  if (!(durationSec > 0)) throw new S2VError('E110', 'contains no audio samples (zero length)', { where: file });
  return { kind: 'audio', path: file, durationSec, sampleRate: probe.audio.sampleRate, channels: probe.audio.channels };
}

/**
 * The length of the audio as decoded, not as its header claims: a browser's MediaRecorder
 * writes WebM with no duration at all, and an MP3 cut short still declares the whole song.
 * Cheap at a low rate.
 */
export async function decodedAudioSeconds(media: Decoder, file: string, signal?: AbortSignal): Promise<number> {
  const rate = 8000;
  let samples = 0;
  for await (const chunk of media.decodeAudioStream(file, { sampleRate: rate, signal })) samples += chunk.length;
  return samples / rate;
}
