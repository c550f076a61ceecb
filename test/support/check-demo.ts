/**
 * `.ci/run` acceptance for the quick start: the demo render is a playable mp4 — H.264 video
 * and AAC audio that decode from start to end without an error — and its two streams last
 * the same to within one video frame. Uses the ffmpeg/ffprobe the app located.
 * Usage: node bin/tsx-run.js test/support/check-demo.ts out/demo.mp4
 */
import { spawnSync } from 'node:child_process';
import { FFMPEG, FFPROBE } from './ffmpeg.js';

const file = process.argv[2] ?? 'out/demo.mp4';

function fail(why: string): never {
  process.stderr.write(`demo check: ${file}: ${why}\n`);
  process.exit(1);
}

const probe = spawnSync(FFPROBE, ['-v', 'error', '-show_entries', 'stream=codec_type,codec_name,duration,avg_frame_rate', '-of', 'json', file], { encoding: 'utf8' });
if (probe.status !== 0) fail(`ffprobe cannot read it (${probe.stderr.trim().split('\n')[0]})`);
const streams = (JSON.parse(probe.stdout) as { streams: Array<{ codec_type: string; codec_name: string; duration?: string; avg_frame_rate?: string }> }).streams;
const video = streams.find((s) => s.codec_type === 'video');
const audio = streams.find((s) => s.codec_type === 'audio');
if (video?.codec_name !== 'h264') fail(`video stream is ${video?.codec_name ?? 'missing'}, expected h264`);
if (audio?.codec_name !== 'aac') fail(`audio stream is ${audio?.codec_name ?? 'missing'}, expected aac`);
const [num, den] = (video.avg_frame_rate ?? '0/1').split('/').map(Number);
const fps = den ? num! / den : 0;
const dv = Number(video.duration);
const da = Number(audio.duration);
if (!(fps > 0 && dv > 0 && da > 0)) fail(`unreadable durations (video ${video.duration}, audio ${audio.duration}, ${video.avg_frame_rate} fps)`);
if (Math.abs(dv - da) > 1 / fps + 1e-6) fail(`video lasts ${dv} s, audio ${da} s: more than one frame (${(1 / fps).toFixed(4)} s) apart`);
const decode = spawnSync(FFMPEG, ['-v', 'error', '-xerror', '-i', file, '-f', 'null', '-'], { encoding: 'utf8' });
if (decode.status !== 0 || decode.stderr.trim()) fail(`does not decode cleanly: ${decode.stderr.trim().split('\n')[0] || `exit ${decode.status}`}`);
process.stdout.write(`demo check: ${file}: H.264 ${dv.toFixed(3)} s @ ${fps} fps + AAC ${da.toFixed(3)} s (within one frame), decodes cleanly\n`);
