// Every way a Sogni job can go wrong, with the real SDK against the stand-in
// (test/support/sogni-standin.ts, NOT the Supernet). Each case checks the one-line error code
// and what did (or did not) reach the network.
import fs from 'node:fs';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { S2VError } from '../../engine/errors.js';
import { checkCost } from './index.js';
import { API_KEY, PASSWORD, USERNAME, loadSpec, removeHarnessMedia, startHarness, type Harness } from '../../../test/support/sogni-fixture.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});
afterAll(removeHarnessMedia);

async function failure(p: Promise<unknown>): Promise<S2VError> {
  const e = await p.then(() => undefined, (x: unknown) => x);
  expect(e).toBeInstanceOf(S2VError);
  return e as S2VError;
}

const wan = () => loadSpec('sogni-wan22-s2v-lightx2v');

describe('Sogni failures', () => {
  it('a wrong API key is E132 (401 or socket close 4021) and the job never reaches the network', async () => {
    h = await startHarness();
    const e = await failure(h.backend({ apiKey: 'sk-wrong-key-0000' }).generate(h.job(wan())));
    expect(e.code).toBe('E132');
    expect(e.oneLine()).not.toContain('sk-wrong-key-0000');
    expect(h.standin.log.jobRequests).toHaveLength(0);
    expect(h.standin.log.uploads).toHaveLength(0);
    const status = await h.backend({ apiKey: 'sk-wrong-key-0000' }).status();
    expect(status).toMatchObject({ configured: true, reachable: false });
    expect(status.detail).toMatch(/^E132/);
  });

  it('a wrong password is E132 from the login, and the password appears in no error or log line', async () => {
    h = await startHarness();
    const secret = 'hunter2-wrong-password';
    const e = await failure(h.backend({ apiKey: undefined, username: USERNAME, password: secret }).preflight(wan()));
    expect(e.code).toBe('E132');
    expect(e.oneLine()).toMatch(/refused the credentials while logging in/);
    expect(e.oneLine()).not.toContain(secret);
    expect(h.logs.join('\n')).not.toContain(secret);
  });

  it('a balance below the quote is E133 before anything is uploaded or sent', async () => {
    h = await startHarness({ balance: { spark: 0.5, sogni: 0 } });
    const e = await failure(h.backend().generate(h.job(wan(), { frames: 161 })));
    expect(e.code).toBe('E133');
    expect(e.message).toMatch(/needs [\d.]+ spark.*the account has 0.5 spark/);
    expect(e.exitCode).toBe(2);
    expect(h.standin.log.uploads).toHaveLength(0);
    expect(h.standin.log.jobRequests).toHaveLength(0);
  });

  it('the network refusing the job for balance (jobError 123) is E133 too', async () => {
    h = await startHarness({ script: { kind: 'refuse-balance' } });
    const e = await failure(h.backend().generate(h.job(wan())));
    expect(e.code).toBe('E133');
    expect(e.message).toMatch(/Insufficient balance/);
    expect(h.standin.log.jobRequests).toHaveLength(1);
  });

  it('maxCost below the estimate is refused (E134) and nothing is uploaded or sent', async () => {
    h = await startHarness();
    const backend = h.backend();
    const job = h.job(wan(), { frames: 161 });
    const estimate = await backend.estimate!(job);
    expect(() => checkCost(estimate, estimate!.amount / 2, 'node model')).toThrow(S2VError);
    const e = (() => {
      try {
        checkCost(estimate, estimate!.amount / 2, 'node model');
      } catch (x) {
        return x as S2VError;
      }
    })()!;
    expect(e.code).toBe('E134');
    expect(e.oneLine()).toMatch(/^E134 node model: estimated cost .* is above maxCost/);
    expect(() => checkCost(estimate, estimate!.amount, 'node model')).not.toThrow();
    expect(() => checkCost(estimate, undefined)).not.toThrow();
    expect(h.standin.log.uploads).toHaveLength(0);
    expect(h.standin.log.jobRequests).toHaveLength(0);
  });

  it('a connection lost mid-job that stays lost: the SDK retries with backoff, then E131', async () => {
    h = await startHarness({ script: { kind: 'drop', afterStep: 2, offlineMs: Infinity }, stepMs: 60 });
    const job = h.job(wan());
    const started = Date.now();
    const e = await failure(h.backend().generate(job));
    expect(e.code).toBe('E131');
    expect(e.message).toMatch(/lost the connection .* did not come back within 3 s \(\d+ reconnect attempts\)/);
    // 1 first connection + at least one reconnect attempt that the stand-in turned away.
    expect(h.standin.log.socketAttempts).toBeGreaterThanOrEqual(2);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(job.progress.some(([, m]) => /connection lost; reconnecting \(attempt 1\)/.test(m ?? ''))).toBe(true);
    expect(fs.existsSync(job.outDir) ? fs.readdirSync(job.outDir).filter((f) => f.endsWith('.mp4')) : []).toEqual([]);
  });

  it('a connection lost mid-job that comes back: the SDK reconnects, the job resumes and finishes', async () => {
    h = await startHarness({ script: { kind: 'drop', afterStep: 2, offlineMs: 700 }, stepMs: 60 });
    const job = h.job(wan());
    const result = await h.backend().generate(job);
    expect(h.standin.log.socketAttempts).toBeGreaterThanOrEqual(2);
    expect(h.standin.log.jobRequests).toHaveLength(1); // resumed, not sent twice
    expect(fs.statSync(result.videoPath).size).toBe(fs.statSync(h.media.video).size);
    expect(job.progress.some(([, m]) => /step 4\/4/.test(m ?? ''))).toBe(true);
  });

  it('a server that cannot be reached at all is E131 within the connect timeout', async () => {
    h = await startHarness();
    h.standin.goOffline(Infinity);
    const started = Date.now();
    const e = await failure(h.backend().preflight(wan()));
    expect(e.code).toBe('E131');
    expect(Date.now() - started).toBeLessThan(12_000);
  });

  it('a job that never finishes is cancelled on the network after jobTimeoutMs (E135)', async () => {
    h = await startHarness({ script: { kind: 'hang' } });
    const e = await failure(h.backend({ limits: { jobTimeoutMs: 1_500, connectTimeoutMs: 4_000, retries: 2, retryBaseMs: 50, cancelWaitMs: 3_000, reconnectBudgetMs: 2_000 } }).generate(h.job(wan())));
    expect(e.code).toBe('E135');
    expect(h.standin.log.cancels).toEqual([h.standin.log.jobRequests[0]!.jobID]);
  });

  it('aborting job.signal mid-render cancels the project on the network (E121)', async () => {
    h = await startHarness({ stepMs: 150, stepCount: 20 });
    const ac = new AbortController();
    const job = h.job(wan(), { signal: ac.signal, onProgress: (_f, m) => { if (/step 2\//.test(m ?? '')) ac.abort(); } });
    const e = await failure(h.backend().generate(job));
    expect(e.code).toBe('E121');
    expect(h.standin.log.cancels).toEqual([h.standin.log.jobRequests[0]!.jobID]);
    expect(h.standin.log.downloadsServed).toBe(0);
  });

  it('a job failing on the worker is E136 quoting the worker message', async () => {
    h = await startHarness({ script: { kind: 'fail', message: 'CUDA out of memory' } });
    const e = await failure(h.backend().generate(h.job(wan())));
    expect(e.code).toBe('E136');
    expect(e.oneLine()).toContain('CUDA out of memory');
  });

  it('bad input is refused before connecting: off-grid frames, missing image, missing audio file', async () => {
    h = await startHarness();
    const backend = h.backend();
    expect((await failure(backend.generate(h.job(wan(), { frames: 80 })))).code).toBe('E106');
    expect((await failure(backend.generate(h.job(wan(), { imagePath: undefined })))).code).toBe('E106');
    const missing = await failure(backend.generate(h.job(wan(), { audioPath: '/nonexistent/seg.wav' })));
    expect(missing.code).toBe('E108');
    expect(missing.where).toBe('/nonexistent/seg.wav');
    expect(h.standin.log.socketAttempts).toBe(0);
  });

  it('no credential appears in any log line, error or status, across success and failure', async () => {
    h = await startHarness();
    const ok = h.backend();
    await ok.generate(h.job(wan()));
    await ok.status();
    const bad = await failure(h.backend({ apiKey: undefined, username: USERNAME, password: PASSWORD + 'x' }).generate(h.job(wan())));
    const all = [...h.logs, bad.oneLine(), (await ok.status()).detail].join('\n');
    expect(h.logs.length).toBeGreaterThan(0);
    for (const secret of [API_KEY, PASSWORD, PASSWORD + 'x']) expect(all).not.toContain(secret);
    expect(all).not.toMatch(/eyJ[\w-]{6,}\.[\w-]{6,}\.[\w-]{6,}/); // login tokens neither
    // On the wire the key travels only in the api-key header, never in a URL a proxy would log.
    const urls = h.standin.log.requests.map((r) => `${r.path}${r.search}`).join('\n');
    expect(h.standin.log.requests.some((r) => r.method === 'UPGRADE')).toBe(true);
    expect(urls).not.toContain(API_KEY);
    expect(decodeURIComponent(urls)).not.toContain(PASSWORD);
  });
});
