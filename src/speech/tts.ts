/**
 * Text to speech through the operating system's own engine: macOS `say` (AIFF, converted
 * with the media layer), Linux/Windows-with-espeak `espeak-ng` (`-w out.wav`). The text
 * goes in on stdin so a line starting with "-" is never read as an option. The engine runs
 * through the one process runner with the run's AbortSignal, so cancelling kills it.
 */
import { access, constants, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { S2VError, type MediaService, type SpeechRequest, type TtsEngine } from '../engine/index.js';
import { lastStderrLine, runProcess } from '../media/index.js';

export interface SpeechOptions extends SpeechRequest {
  media: MediaService;
  /** For tests: pretend to be another platform / search another PATH. */
  platform?: NodeJS.Platform;
  pathEnv?: string;
}

async function findOnPath(name: string, pathEnv: string): Promise<string | undefined> {
  for (const dir of pathEnv.split(path.delimiter).filter(Boolean)) {
    const full = path.join(dir, name);
    try {
      await access(full, constants.X_OK);
      return full;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** The TTS engine this machine has, or an E122 naming what to install. */
export async function findTtsEngine(platform: NodeJS.Platform = process.platform, pathEnv = process.env.PATH ?? '', where?: string): Promise<TtsEngine> {
  const candidates: Array<TtsEngine['name']> = platform === 'darwin' ? ['say', 'espeak-ng'] : ['espeak-ng', 'espeak'];
  for (const name of candidates) {
    const bin = await findOnPath(name, pathEnv);
    if (bin) return { name, bin };
  }
  const hint =
    platform === 'darwin'
      ? 'macOS ships `say` in /usr/bin; check PATH, or `brew install espeak-ng`'
      : platform === 'win32'
        ? 'install eSpeak NG (https://github.com/espeak-ng/espeak-ng/releases) and add it to PATH'
        : 'install espeak-ng (Debian/Ubuntu: sudo apt install espeak-ng; Fedora: sudo dnf install espeak-ng)';
  throw new S2VError('E122', `speech mode needs a text-to-speech engine (${candidates.join(' or ')}) and none was found`, { where, hint, exitCode: 1 });
}

/** Voice names the engine knows (lower case): language codes, voice names and files. */
export async function listVoices(engine: TtsEngine, signal?: AbortSignal, where?: string): Promise<Set<string>> {
  const { stdout } = await runProcess({ bin: engine.bin, args: engine.name === 'say' ? ['-v', '?'] : ['--voices'], signal, where });
  const names = new Set<string>();
  for (const line of stdout.toString('utf8').split('\n')) {
    if (engine.name === 'say') {
      const name = line.split(/\s{2,}/)[0]?.trim();
      if (name) names.add(name.toLowerCase());
    } else {
      const cols = line.trim().split(/\s+/);
      if (cols.length < 5 || cols[0] === 'Pty') continue;
      for (const c of [cols[1], cols[3], cols[4], cols[4]?.split('/').pop()]) if (c) names.add(c.toLowerCase());
    }
  }
  return names;
}

function runTts(bin: string, args: string[], text: string, signal: AbortSignal | undefined, where?: string): Promise<unknown> {
  const name = path.basename(bin);
  return runProcess({
    bin,
    args,
    stdin: text,
    signal,
    where,
    cannotStart: (e) => new S2VError('E120', `${name} could not start (${e.message})`, { where, exitCode: 1 }),
    failure: ({ stderrTail, code }) => {
      const last = lastStderrLine(stderrTail);
      return new S2VError('E120', `${name} failed (exit ${code})${last ? `: ${last}` : ''}`, { where, hint: 'check the voice name', exitCode: 1 });
    },
  });
}

/**
 * Speak `text` into `outPath`. Returns the duration in seconds. Throws E107 for empty text, E122
 * when no engine is installed, E120 when the engine fails (e.g. an unknown voice), E121 when cancelled.
 */
export async function synthesizeSpeech(opts: SpeechOptions): Promise<{ durationSec: number; engine: TtsEngine['name'] }> {
  // espeak-ng writes no file at all for empty input, which would surface as a confusing E108 on a temp path.
  if (!opts.text.trim()) throw new S2VError('E107', 'no text to speak', { where: opts.where, hint: 'write the text in the prompt' });
  const engine = await findTtsEngine(opts.platform, opts.pathEnv, opts.where);
  if (opts.voice) {
    // espeak-ng silently falls back to its default for an unknown voice; say fails late. Check first.
    const known = await listVoices(engine, opts.signal, opts.where);
    const base = opts.voice.toLowerCase().split('+')[0]!;
    if (known.size > 0 && !known.has(base)) {
      const some = [...known].slice(0, 6).join(', ');
      throw new S2VError('E106', `${engine.name} has no voice "${opts.voice}"`, { where: opts.where, hint: `e.g. ${some} — list them with \`${engine.name === 'say' ? 'say -v ?' : 'espeak-ng --voices'}\`` });
    }
  }
  const tmp = await mkdtemp(path.join(os.tmpdir(), 's2v-tts-'));
  try {
    const raw = path.join(tmp, engine.name === 'say' ? 'speech.aiff' : 'speech.wav');
    const args =
      engine.name === 'say'
        ? ['-o', raw, ...(opts.voice ? ['-v', opts.voice] : []), '-f', '-']
        : ['-w', raw, ...(opts.voice ? ['-v', opts.voice] : []), '--stdin'];
    await runTts(engine.bin, args, opts.text, opts.signal, opts.where);
    // One format downstream: stereo 44.1 kHz like generated music.
    const pcm = await opts.media.decodeAudio(raw, { sampleRate: 44100, channels: 2, signal: opts.signal });
    if (pcm.length === 0) throw new S2VError('E120', `${engine.name} produced no audio`, { where: opts.where, exitCode: 1 });
    await opts.media.writeWav(opts.outPath, pcm, 44100, 2);
    return { durationSec: pcm.length / 2 / 44100, engine: engine.name };
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}
