import { createMediaService } from '../src/media/index.js';
import { FrameAnalyzer, ANALYSIS_SAMPLE_RATE } from '../src/audio/frame-analyzer.js';
import { BatchedVad } from '../src/audio/voice-activity.js';
const which = process.argv[2];
const pcm = await createMediaService().decodeAudio('/work/shared/eval-dev/t03_last_trip.wav', { sampleRate: ANALYSIS_SAMPLE_RATE, channels: 1 });
const fake = async () => ({ inputNames: [], outputNames: [], run: async () => ({}), runSteps: async (req: { input: { rows: number[] } }) => new Float32Array(req.input.rows.reduce((a, b) => a + b, 0)) }) as never;
const c0 = process.cpuUsage(); const t0 = performance.now();
if (which === 'fa') { const fa = new FrameAnalyzer(30); for (let i = 0; i < pcm.length; i += 32768) fa.push(pcm.subarray(i, i + 32768)); fa.finish(); }
if (which === 'vad') { const v = new BatchedVad(fake); for (let i = 0; i < pcm.length; i += 32768) await v.push(pcm.subarray(i, i + 32768)); await v.finish(); }
const c = process.cpuUsage(c0);
console.log(which, 'cpu ms', ((c.user + c.system) / 1000).toFixed(0), 'wall', (performance.now() - t0).toFixed(0));
