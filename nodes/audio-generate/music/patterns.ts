/**
 * Drum patterns on a 16-step bar (4/4, 16th notes). Each style has a few variants; the seed
 * picks one. Every style keeps a strong quarter-note pulse (kick on beat 1, a backbeat on
 * 2 and 4) so the beat grid we report is also the beat a listener — or a tracker — hears.
 */
import type { DrumStyle } from './genres.js';

export interface DrumPattern {
  kick: number[];
  snare: number[];
  clap: number[];
  hat: number[];
  openHat: number[];
  ride: number[];
  tom: number[];
}

const EIGHTHS = [0, 2, 4, 6, 8, 10, 12, 14];
const SIXTEENTHS = [...Array(16).keys()];
const OFFBEATS = [2, 6, 10, 14];

function p(parts: Partial<DrumPattern>): DrumPattern {
  return { kick: [], snare: [], clap: [], hat: [], openHat: [], ride: [], tom: [], ...parts };
}

export const DRUM_PATTERNS: Record<DrumStyle, DrumPattern[]> = {
  'four-floor': [
    p({ kick: [0, 4, 8, 12], clap: [4, 12], hat: SIXTEENTHS.filter((s) => s % 4 !== 2), openHat: OFFBEATS }),
    p({ kick: [0, 4, 8, 12], clap: [4, 12], snare: [15], hat: EIGHTHS, openHat: OFFBEATS }),
    p({ kick: [0, 4, 8, 12], clap: [4, 12], hat: [1, 3, 5, 7, 9, 11, 13, 15], openHat: OFFBEATS }),
  ],
  techno: [
    p({ kick: [0, 4, 8, 12], clap: [4, 12], hat: SIXTEENTHS, openHat: OFFBEATS }),
    p({ kick: [0, 4, 8, 12], clap: [12], snare: [4], hat: SIXTEENTHS, openHat: OFFBEATS, tom: [7, 14] }),
  ],
  'boom-bap': [
    p({ kick: [0, 10], snare: [4, 12], hat: EIGHTHS }),
    p({ kick: [0, 3, 10], snare: [4, 12], hat: EIGHTHS, openHat: [14] }),
    p({ kick: [0, 8, 10], snare: [4, 12], hat: EIGHTHS }),
  ],
  lofi: [
    p({ kick: [0, 10], snare: [4, 12], hat: [0, 2, 3, 4, 6, 8, 10, 11, 12, 14] }),
    p({ kick: [0, 7, 10], snare: [4, 12], hat: EIGHTHS }),
    p({ kick: [0, 9], snare: [4, 12], hat: [0, 2, 4, 6, 7, 8, 10, 12, 14, 15] }),
  ],
  trap: [
    p({ kick: [0, 7, 10], snare: [8], clap: [8], hat: SIXTEENTHS }),
    p({ kick: [0, 3, 10, 11], snare: [8], clap: [8], hat: EIGHTHS.concat([13, 15]) }),
  ],
  rock: [
    p({ kick: [0, 8, 10], snare: [4, 12], hat: EIGHTHS }),
    p({ kick: [0, 6, 8], snare: [4, 12], hat: EIGHTHS }),
    p({ kick: [0, 8], snare: [4, 12], hat: EIGHTHS, openHat: [14] }),
  ],
  jazz: [
    p({ kick: [0, 4, 8, 12], ride: [0, 4, 6, 8, 12, 14], hat: [4, 12] }),
    p({ kick: [0, 8], ride: [0, 4, 6, 8, 12, 14], hat: [4, 12], snare: [11] }),
  ],
  // Drum and bass keeps a hit on every beat (kick 1 + 3, snare 2 + 4) and quiet 8th hats, so the
  // pulse reads at the full tempo instead of the half-time feel trackers often lock onto.
  dnb: [
    p({ kick: [0, 8, 10], snare: [4, 12], hat: [0, 4, 8, 12], ride: [0, 4, 8, 12] }),
    p({ kick: [0, 8, 10], snare: [4, 12, 14], hat: [0, 4, 8, 12], ride: [0, 4, 8, 12] }),
    p({ kick: [0, 8], snare: [4, 12, 15], hat: [0, 4, 8, 12], ride: [0, 4, 8, 12] }),
  ],
  cinematic: [
    p({ kick: [0, 4, 8, 12], tom: [0, 3, 6, 8, 11, 14], snare: [12] }),
    p({ kick: [0, 4, 8, 12], tom: [0, 6, 8, 10, 12, 14], clap: [4, 12] }),
  ],
  ambient: [
    p({ kick: [0, 4, 8, 12], hat: [0, 4, 8, 12] }),
    p({ kick: [0, 4, 8, 12], ride: [0, 8] }),
  ],
  pop: [
    p({ kick: [0, 4, 8, 12], snare: [4, 12], clap: [4, 12], hat: EIGHTHS }),
    p({ kick: [0, 6, 8], snare: [4, 12], hat: EIGHTHS, openHat: [14] }),
    p({ kick: [0, 4, 8, 12], clap: [4, 12], hat: OFFBEATS.concat([1, 5, 9, 13]) }),
  ],
};
