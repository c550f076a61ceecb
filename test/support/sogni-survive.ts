/**
 * Child-process script for the unhandled-rejection test: runs two jobs through the Sogni backend
 * against the stand-in (NOT the Supernet) in a fresh Node process, where the SDK provokes
 * promise rejections nobody handles — a bad API key (the SDK's own `account.me()` after
 * authenticating rejects with 401, unawaited) and a preview URL the storage refuses (the SDK's
 * `jobProgress` handler fetches it without a catch). Prints one JSON line at the end.
 * With `--no-guard` every 'unhandledRejection' listener is refused before the backend loads,
 * so the same run shows what Node does without our guard.
 */
// (The last JSON line is printed after the temp folder is gone; the process then exits by itself.)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

if (process.argv.includes('--no-guard')) {
  const on = process.on.bind(process);
  process.on = ((event: string, fn: (...a: unknown[]) => void) => (event === 'unhandledRejection' ? process : on(event, fn))) as typeof process.on;
}

const { SogniStandin, makeStandinMedia } = await import('./sogni-standin.js');
const { createSogniBackend } = await import('../../src/backends/sogni/index.js');
const { swallowedSdkRejections } = await import('../../src/backends/sogni/guard.js');

// The caller may pass a folder it cleans up itself (a crashed run cannot clean up after itself).
const dirArg = process.argv.indexOf('--dir');
const dir = dirArg > 0 ? process.argv[dirArg + 1]! : fs.mkdtempSync(path.join(os.tmpdir(), 's2v-sogni-survive-'));
const media = await makeStandinMedia(dir);
const standin = new SogniStandin({ apiKey: 'sk-good-key-123456', videoFile: media.video, previewFile: media.preview });
standin.failPreviewUrls = true;
const url = await standin.start();
const spec = JSON.parse(fs.readFileSync(path.join(process.cwd(), 'models', 'sogni-wan22-s2v-lightx2v', 'manifest.json'), 'utf8'));
const limits = { connectTimeoutMs: 4000, reconnectBudgetMs: 2000, jobTimeoutMs: 20000, retries: 2, retryBaseMs: 50, cancelWaitMs: 2000 };
const job = (outDir: string) => ({
  model: spec, imagePath: media.image, audioPath: media.audio, prompt: 'x', seed: 1, width: 832, height: 480, frames: 33,
  signal: new AbortController().signal, onProgress: () => {}, onPreview: () => {}, outDir,
});

const bad = createSogniBackend({ apiKey: 'sk-bad-key-000000', restEndpoint: url, socketEndpoint: url, limits });
const badCode = await bad.generate(job(path.join(dir, 'a'))).then(() => 'ok', (e: { code?: string }) => e.code ?? String(e));
const good = createSogniBackend({ apiKey: 'sk-good-key-123456', restEndpoint: url, socketEndpoint: url, limits });
const result = await good.generate(job(path.join(dir, 'b')));
const video = fs.statSync(result.videoPath).size;
// Give late SDK rejections (they surface on the next ticks) time to land.
await new Promise((r) => setTimeout(r, 300));
bad.close();
good.close();
await standin.stop();
fs.rmSync(dir, { recursive: true, force: true });
// No process.exit: the process must end by itself once the clients are closed (`at` lets the
// test see how long that took).
console.log(JSON.stringify({ badCode, video, swallowed: swallowedSdkRejections(), at: Date.now() }));
