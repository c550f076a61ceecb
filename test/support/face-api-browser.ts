/**
 * face-api's own runtime, for checking our ONNX conversion against it: its browser build
 * (face-api.esm.js, with tfjs inside, CPU backend) in headless Chromium, served from
 * node_modules over a loopback server. Its Node build needs @tensorflow/tfjs-node (a native
 * download), and the browser bundle will not load in plain Node (it probes util.TextEncoder),
 * so the browser is the one runtime that works offline here.
 */
import http from 'node:http';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser } from 'playwright-core';
import type { Box, RgbImage } from '../../src/engine/index.js';

export interface FaceApiResult {
  box: Box;
  score: number;
  landmarks: Array<[number, number]>;
}

export interface FaceApiRuntime {
  detect(img: RgbImage): Promise<FaceApiResult[]>;
  close(): Promise<void>;
}

const PAGE = `<!doctype html><script type="module">
import * as faceapi from '/face-api.esm.js';
await faceapi.tf.setBackend('cpu');
await faceapi.tf.ready();
await faceapi.nets.tinyFaceDetector.loadFromUri('/model');
await faceapi.nets.faceLandmark68Net.loadFromUri('/model');
window.detect = async (b64, width, height) => {
  const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  const t = faceapi.tf.tensor3d(Float32Array.from(bytes), [height, width, 3], 'float32');
  const found = await faceapi.detectAllFaces(t, new faceapi.TinyFaceDetectorOptions({ inputSize: 416, scoreThreshold: 0.5 })).withFaceLandmarks();
  t.dispose();
  return found.map((f) => ({
    box: { x: f.detection.box.x, y: f.detection.box.y, w: f.detection.box.width, h: f.detection.box.height },
    score: f.detection.score,
    landmarks: f.landmarks.positions.map((p) => [p.x, p.y]),
  }));
};
window.ready = true;
</script>`;

export async function startFaceApi(): Promise<FaceApiRuntime> {
  const root = path.dirname(createRequire(import.meta.url).resolve('@vladmandic/face-api/package.json'));
  const server = http.createServer((req, res) => {
    const url = req.url ?? '/';
    const send = (type: string, body: Buffer | string) => { res.writeHead(200, { 'content-type': type }); res.end(body); };
    if (url === '/') return send('text/html', PAGE);
    if (url === '/face-api.esm.js') return void readFile(path.join(root, 'dist/face-api.esm.js')).then((b) => send('text/javascript', b));
    const m = /^\/model\/([\w.-]+)$/.exec(url);
    if (m) return void readFile(path.join(root, 'model', m[1]!)).then((b) => send(m[1]!.endsWith('.json') ? 'application/json' : 'application/octet-stream', b), () => { res.writeHead(404); res.end(); });
    res.writeHead(404);
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  let browser: Browser | undefined;
  try {
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${port}/`);
    await page.waitForFunction(() => (window as unknown as { ready?: boolean }).ready === true, undefined, { timeout: 60_000 });
    return {
      detect: (img) =>
        page.evaluate(([b64, w, h]) => (window as unknown as { detect(b: string, w: number, h: number): Promise<FaceApiResult[]> }).detect(b64, w, h),
          [Buffer.from(img.data).toString('base64'), img.width, img.height] as const),
      async close() {
        await browser?.close();
        server.close();
      },
    };
  } catch (e) {
    await browser?.close();
    server.close();
    throw e;
  }
}
