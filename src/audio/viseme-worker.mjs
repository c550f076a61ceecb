// The viseme classifier on its own thread (see viseme-thread.ts): the analysis' main thread
// works out the bilabial detector's features meanwhile. Plain JS: no TypeScript loader in workers.
import { parentPort } from 'node:worker_threads';
import { classifyVisemes } from './viseme-classifier.mjs';

parentPort.on('message', ({ id, pcm, fps, frames }) => {
  try {
    const weights = classifyVisemes(pcm, fps, frames);
    parentPort.postMessage({ id, weights }, [weights.buffer]);
  } catch (e) {
    parentPort.postMessage({ id, error: String(e?.message ?? e).split('\n')[0] });
  }
});
