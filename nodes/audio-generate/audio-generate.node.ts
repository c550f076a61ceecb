/**
 * Audio Generate: text in, audio out, on this machine. Music mode renders a procedural track
 * from a prompt ("lo-fi hip hop 84 bpm, warm and dusty, in D minor"), the same for the same
 * prompt + seed, and reports its exact beat grid (music/); speech mode speaks the text with
 * the OS engine through ctx.services.speech (say / espeak-ng). The result is an ordinary
 * stereo 44.1 kHz WAV that connects anywhere an Audio File does.
 */
import path from 'node:path';
import { z } from 'zod';
import { S2VError, cancelledError, codeFingerprint, defineNode, type AudioValue } from '../../src/engine/index.js';
import { MAX_MUSIC_SEC, renderMusic } from './music/render.js';
import { peaksFromPcm } from './peaks.js';

const SAMPLE_RATE = 44100;

export const audioGenerateNode = defineNode({
  type: 'audio-generate',
  version: 1,
  title: 'Audio Generate',
  category: 'source',
  description:
    'Makes audio from text, offline. Music: a synthesised track from a prompt (genre, mood, "92 bpm", "in D minor", instruments) with its exact beat grid, mastered to −14 LUFS. Speech: the text spoken by the OS voice (say / espeak-ng).',
  inputs: {
    prompt: { type: 'text', optional: true, label: 'Prompt', description: 'Overrides the prompt param when connected.' },
  },
  outputs: { audio: { type: 'audio' } },
  params: z.object({
    prompt: z.string().max(10_000).default('lo-fi hip hop 84 bpm, warm and dusty').describe('What to generate'),
    duration: z.number().min(1).max(MAX_MUSIC_SEC).default(30).describe('Length of the music, seconds'),
    seed: z.number().int().min(0).max(2 ** 32 - 1).default(0).describe('Another seed, another track'),
    mode: z.enum(['music', 'speech']).default('music').describe('Music from a prompt, or the text spoken'),
    voice: z.string().max(100).default('').describe('Speech voice (e.g. "en-us", "Samantha"); empty = system default'),
  }),
  widgets: {
    prompt: { kind: 'text', multiline: true, placeholder: 'lo-fi hip hop 84 bpm, warm and dusty', label: 'Prompt' },
    duration: { kind: 'number', min: 1, max: MAX_MUSIC_SEC, step: 1, unit: 's', label: 'Duration' },
    seed: { kind: 'number', min: 0, step: 1, label: 'Seed' },
    mode: { kind: 'select', options: [{ value: 'music', label: 'Music' }, { value: 'speech', label: 'Speech' }], label: 'Mode' },
    voice: { kind: 'text', placeholder: 'system default', label: 'Voice (speech)' },
  },
  // Music is a pure function of prompt + seed + duration and of the generator's code, which the
  // key names (the code fingerprint, src/engine/cache/code-version.ts: an upgraded generator
  // composes again). Speech depends on the installed OS voice too, which is close enough to
  // pure for a cache (reinstalling voices is rare).
  cache: 'fingerprint',
  async fingerprint() {
    return `code:${await codeFingerprint('audio-generate')}`;
  },
  async evaluate({ inputs, params, ctx }) {
    const where = `node "${ctx.nodeId}"`;
    const prompt = (inputs.prompt ?? '').trim() || params.prompt.trim();
    if (!prompt) throw new S2VError('E107', `no ${params.mode === 'speech' ? 'text to speak' : 'music prompt'}`, { where, hint: 'write a prompt or connect a Prompt node' });
    if (ctx.signal.aborted) throw cancelledError(where);
    const dir = await ctx.artifactDir();

    if (params.mode === 'speech') {
      ctx.progress(0.1, 'speaking');
      const file = path.join(dir, 'speech.wav');
      const { durationSec, engine } = await ctx.services.speech.speak({ text: prompt, voice: params.voice || undefined, outPath: file, signal: ctx.signal, where });
      ctx.log(`speech by ${engine}`);
      ctx.progress(1);
      const audio: AudioValue = { kind: 'audio', path: file, durationSec, sampleRate: SAMPLE_RATE, channels: 2, label: `speech: ${prompt.slice(0, 40)}` };
      return { audio };
    }

    const music = renderMusic(prompt, {
      durationSec: params.duration,
      seed: params.seed,
      sampleRate: SAMPLE_RATE,
      signal: ctx.signal,
      progress: (f, m) => ctx.progress(f * 0.9, m),
    });
    const s = music.spec;
    ctx.log(`music: ${s.genre.id}, ${s.tempo} bpm${s.tempoFromPrompt ? '' : ' (genre default)'}, ${s.mode}, moods: ${s.moods.join(', ') || 'none'}, ${music.loudness.toFixed(1)} LUFS`);
    const file = path.join(dir, 'music.wav');
    // Planar: no interleaved copy of a long track (see MAX_MUSIC_SEC for the memory bound).
    await ctx.services.media.writeWav(file, [music.left, music.right], SAMPLE_RATE, 2);
    ctx.progress(1);
    const audio: AudioValue = {
      kind: 'audio',
      path: file,
      durationSec: music.left.length / SAMPLE_RATE,
      sampleRate: SAMPLE_RATE,
      channels: 2,
      beats: music.beats,
      label: prompt.length > 60 ? `${prompt.slice(0, 57)}…` : prompt,
      peaks: peaksFromPcm(music.left, music.right, SAMPLE_RATE),
    };
    return { audio };
  },
});
