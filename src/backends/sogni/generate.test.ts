// The real Sogni SDK against the local stand-in (test/support/sogni-standin.ts, NOT the
// Supernet): a job from quote to downloaded mp4, with progress, ETA and preview frames.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ffprobeJson } from '../../../test/support/media-testing.js';
import { PASSWORD, USERNAME, loadSpec, removeHarnessMedia, startHarness, type Harness } from '../../../test/support/sogni-fixture.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
  await removeHarnessMedia();
});

describe('Sogni backend against the stand-in', () => {
  it('renders a Wan 2.2 S2V job: uploads image + audio, reports progress and previews, downloads the mp4', async () => {
    const spec = loadSpec('sogni-wan22-s2v-lightx2v');
    const backend = h.backend();
    const job = h.job(spec, { frames: 81 });
    const result = await backend.generate(job);

    // What reached the network: both uploads, then one request on the model's grid.
    const request = h.standin.log.jobRequests.at(-1)!;
    const kf = (request.keyFrames as Array<Record<string, unknown>>)[0]!;
    expect(kf).toMatchObject({ modelID: 'wan_v2.2-14b-fp8_s2v_lightx2v', frames: 81, width: 832, height: 480, seed: 42, positivePrompt: 'a singer on a neon stage', hasReferenceImage: true, hasReferenceAudio: true, fps: 16 });
    expect(kf.audioStart).toBeUndefined(); // the SDK refuses audioStart outside MiniMax H3
    const uploads = h.standin.log.uploads.filter((u) => u.jobId === request.jobID);
    expect(uploads.map((u) => `${u.type}:${u.contentType}`).sort()).toEqual(['referenceAudio:audio/wav', 'referenceImage:image/png']);
    expect(uploads.find((u) => u.type === 'referenceAudio')!.bytes).toBe(fs.statSync(h.media.audio).size);

    // The download is the stand-in's real mp4, byte for byte, under the job's outDir.
    expect(result.videoPath.startsWith(job.outDir)).toBe(true);
    expect(fs.readFileSync(result.videoPath).equals(fs.readFileSync(h.media.video))).toBe(true);
    const probe = await ffprobeJson(result.videoPath);
    expect(probe.streams.map((s) => s.codec_type).sort()).toEqual(['audio', 'video']);
    expect(result.cost).toEqual({ amount: expect.any(Number), unit: 'spark' });
    expect(result.cost!.amount).toBeGreaterThan(0);
    expect(fs.readdirSync(job.outDir).some((f) => f.endsWith('.part'))).toBe(false);

    // Progress: monotone from 0 to 1, with the SDK's step counts and ETA in the messages.
    const fractions = job.progress.map(([f]) => f);
    expect(fractions[0]).toBe(0);
    expect(fractions.at(-1)).toBe(1);
    for (let i = 1; i < fractions.length; i++) expect(fractions[i]!).toBeGreaterThanOrEqual(fractions[i - 1]!);
    const messages = job.progress.map(([, m]) => m ?? '');
    expect(messages.some((m) => /step 4\/4/.test(m))).toBe(true);
    expect(messages.some((m) => /ETA \d+ s/.test(m))).toBe(true);
    expect(messages.some((m) => /queued/.test(m))).toBe(true);

    // Previews: the stand-in sends one every 2 steps (steps 2 and 4) as real JPEGs.
    expect(job.previews).toHaveLength(2);
    for (const p of job.previews) expect(fs.readFileSync(p).subarray(0, 2).equals(Buffer.from([0xff, 0xd8]))).toBe(true);
  });

  it('logs in with username and password (EIP-712 signed) and renders an LTX-2.3 a2v job without an image', async () => {
    const spec = loadSpec('sogni-ltx23-a2v-distilled');
    const backend = h.backend({ apiKey: undefined, username: USERNAME, password: PASSWORD });
    const status = await backend.status();
    expect(status).toMatchObject({ id: 'sogni', configured: true, reachable: true });
    expect(status.detail).toContain(USERNAME);
    const job = h.job(spec, { frames: 121 });
    const result = await backend.generate(job);
    const kf = (h.standin.log.jobRequests.at(-1)!.keyFrames as Array<Record<string, unknown>>)[0]!;
    expect(kf).toMatchObject({ modelID: 'ltx23-22b-fp8_a2v_distilled', frames: 121, fps: 24, hasReferenceAudio: true });
    expect(kf.hasReferenceImage).toBeUndefined();
    expect(fs.statSync(result.videoPath).size).toBe(fs.statSync(h.media.video).size);
  });

  it('every shipped sogni-* manifest makes a request the real SDK validates and sends (its largest size, longest request)', async () => {
    const backend = h.backend();
    const ids = fs.readdirSync('models').filter((d) => d.startsWith('sogni-')).sort();
    expect(ids.length).toBe(7);
    for (const id of ids) {
      const spec = loadSpec(id);
      const size = [...spec.sizes].sort((a, b) => b.width * b.height - a.width * a.height)[0]!;
      const result = await backend.generate(h.job(spec, { frames: spec.grid.maxFrames, width: size.width, height: size.height }));
      const kf = (h.standin.log.jobRequests.at(-1)!.keyFrames as Array<Record<string, unknown>>)[0]!;
      expect(kf, id).toMatchObject({ modelID: spec.sogni!.modelId, frames: spec.grid.maxFrames, width: size.width, height: size.height, fps: spec.grid.fps });
      expect(Boolean(kf.hasReferenceImage), id).toBe(spec.image !== 'none');
      expect(fs.existsSync(result.videoPath), id).toBe(true);
    }
  });

  it('estimate() quotes before anything is uploaded, and preflight() finds the model served', async () => {
    const spec = loadSpec('sogni-h3-ia2v-turbo');
    const backend = h.backend();
    const before = h.standin.log.uploads.length;
    await backend.preflight(spec);
    const estimate = await backend.estimate!({ model: spec, imagePath: h.media.image, audioPath: h.media.audio, prompt: 'x', seed: 1, width: 960, height: 544, frames: 124 + 17 * 2 });
    // stand-in price: 0.05 spark per megapixel-frame
    expect(estimate!.unit).toBe('spark');
    expect(estimate!.amount).toBeCloseTo((960 * 544 / 1e6) * 158 * 0.05, 5);
    expect(estimate!.seconds).toBeGreaterThan(0);
    expect(h.standin.log.uploads.length).toBe(before);
    expect(h.standin.log.requests.some((r) => r.path.startsWith('/api/v1/job-video/estimate/spark/minimax-h3-fastvideo-int8_ia2v_turbo/960/544/158/24'))).toBe(true);
  });

  it('retries sending a job whose upload the storage refused (HTTP 503): one job reaches the network', async () => {
    const spec = loadSpec('sogni-wan22-s2v-lightx2v');
    h.standin.failUploads = 1;
    const before = h.standin.log.jobRequests.length;
    const result = await h.backend().generate(h.job(spec, { frames: 17 }));
    expect(h.standin.failUploads).toBe(0);
    expect(h.standin.log.jobRequests.length).toBe(before + 1);
    expect(fs.statSync(result.videoPath).size).toBe(fs.statSync(h.media.video).size);
    expect(h.logs.some((l) => /uploading and sending the job failed \(attempt 1\/3: Failed to upload/.test(l))).toBe(true);
  });

  it('retries a result download the storage refuses twice (HTTP 503), then succeeds', async () => {
    const spec = loadSpec('sogni-wan22-s2v-lightx2v');
    h.standin.failDownloads = 2;
    const served = h.standin.log.downloadsServed;
    const result = await h.backend().generate(h.job(spec, { frames: 33 }));
    expect(h.standin.failDownloads).toBe(0);
    expect(h.standin.log.downloadsServed).toBe(served + 1);
    expect(fs.statSync(result.videoPath).size).toBeGreaterThan(1000);
    expect(h.logs.filter((l) => /downloading the result failed \(attempt [12]\/3/.test(l))).toHaveLength(2);
  });
});
