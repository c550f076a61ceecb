/**
 * The ffmpeg and ffprobe the tests run, found exactly as the app finds them (FFMPEG_PATH →
 * ffmpeg-static → the npm @ffmpeg-installer/@ffprobe-installer binaries → PATH). Tests that
 * make fixtures or inspect output must use these, never `ffmpeg` by name: a fresh machine has
 * only the npm binaries, and a machine with a system ffmpeg must test the one the app uses.
 */
import { locateFfmpeg } from '../../src/media/locate.js';

const found = locateFfmpeg();

/** Absolute path of the ffmpeg the app uses. */
export const FFMPEG = found.ffmpeg;
/** Absolute path of the ffprobe the app uses. */
export const FFPROBE = found.ffprobe;
