/**
 * Shared setup for the Sogni tests: a temp folder with ffmpeg-made media, a running stand-in
 * (test/support/sogni-standin.ts — NOT the real Supernet), the shipped manifests as specs, and
 * a job builder that records progress, previews and log lines.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { RemoteJob, RemoteModelSpec } from '../../src/engine/services/video-backend.js';
import { createSogniBackend, type SogniBackend, type SogniSettings } from '../../src/backends/sogni/index.js';
import { SogniStandin, makeStandinMedia, type StandinOptions } from './sogni-standin.js';

export const API_KEY = 'sk-standin-5f1d9c2e7a4b4e0f9d3c';
export const USERNAME = 'grace';
export const PASSWORD = 'correct horse battery staple';

export function loadSpec(id: string): RemoteModelSpec {
  const file = path.join(process.cwd(), 'models', id, 'manifest.json');
  return JSON.parse(fs.readFileSync(file, 'utf8')) as RemoteModelSpec;
}

export interface Harness {
  dir: string;
  media: Awaited<ReturnType<typeof makeStandinMedia>>;
  standin: SogniStandin;
  url: string;
  logs: string[];
  backend(extra?: Partial<SogniSettings>): SogniBackend;
  job(spec: RemoteModelSpec, over?: Partial<RemoteJob>): RemoteJob & { progress: Array<[number, string | undefined]>; previews: string[] };
  close(): Promise<void>;
}

/** Fast limits so failure paths finish in seconds. */
export const TEST_LIMITS = { connectTimeoutMs: 4_000, reconnectBudgetMs: 2_500, jobTimeoutMs: 20_000, retries: 3, retryBaseMs: 50, cancelWaitMs: 3_000 };

let mediaCache: Promise<{ dir: string; media: Awaited<ReturnType<typeof makeStandinMedia>> }> | undefined;

/** Remove the shared media folder (call in afterAll). */
export async function removeHarnessMedia(): Promise<void> {
  const cached = mediaCache;
  mediaCache = undefined;
  if (cached) fs.rmSync((await cached).dir, { recursive: true, force: true });
}

export async function startHarness(opts: Partial<StandinOptions> = {}): Promise<Harness> {
  mediaCache ??= (async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 's2v-sogni-'));
    return { dir, media: await makeStandinMedia(dir) };
  })();
  const { dir, media } = await mediaCache;
  const standin = new SogniStandin({ apiKey: API_KEY, username: USERNAME, password: PASSWORD, videoFile: media.video, previewFile: media.preview, ...opts });
  const url = await standin.start();
  const logs: string[] = [];
  const backends: SogniBackend[] = [];
  let n = 0;
  return {
    dir, media, standin, url, logs,
    backend(extra = {}) {
      const b = createSogniBackend({
        apiKey: API_KEY, restEndpoint: url, socketEndpoint: url, limits: TEST_LIMITS,
        log: (level, line) => logs.push(`${level} ${line}`), ...extra,
      });
      backends.push(b);
      return b;
    },
    job(spec, over = {}) {
      const outDir = path.join(dir, `out-${process.pid}-${++n}`);
      const progress: Array<[number, string | undefined]> = [];
      const previews: string[] = [];
      return {
        model: spec, imagePath: spec.image === 'none' ? undefined : media.image, audioPath: media.audio,
        prompt: 'a singer on a neon stage', seed: 42, width: spec.sizes[0]!.width, height: spec.sizes[0]!.height,
        frames: spec.grid.base + spec.grid.step * 5, signal: new AbortController().signal,
        onProgress: (f: number, m?: string) => progress.push([f, m]), onPreview: (f: string) => previews.push(f), outDir,
        progress, previews, ...over,
      };
    },
    async close() {
      for (const b of backends) b.close();
      await standin.stop();
    },
  };
}
