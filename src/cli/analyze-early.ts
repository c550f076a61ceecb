/**
 * `s2v analyze` starts the VAD's worker thread while the rest of the CLI is still loading:
 * main.ts imports this module first. The thread takes ~0.1 s to boot and onnxruntime ~0.2 s
 * to load and open Silero; started here, that happens on the second core while this one loads
 * the CLI's modules (which nothing else overlaps), instead of beside the decode and the frame
 * analysis, which then had to share the core with it. The analysis' inference service adopts
 * the thread (preloadEarly in src/inference); S2V_NO_EARLY=1 turns this off (the bench compares).
 * When bin/early-vad.js started the very same thread before the bundle loaded (≈ 0.1 s sooner
 * still), preloadEarly adopts that one instead of starting another (src/inference/early-worker.ts).
 */
import { preloadEarly } from '../inference/index.js';
import { VAD_MODEL } from '../audio/voice-activity.js';

if (process.argv[2] === 'analyze' && process.env.S2V_NO_EARLY !== '1' && !process.argv.includes('--help')) preloadEarly(VAD_MODEL);
