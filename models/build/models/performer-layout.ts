/**
 * The performer's own inputs (version 2): its per-frame `controls` are the shared columns
 * plus mouth shapes, blink and head motion; `mesh` holds the landmark-driven warp bases and
 * `maps` the static per-pixel maps for the lip gap and the eyelids. The render side
 * (nodes/video-model/face-mesh.ts) fills both from the face's 68 landmarks.
 */
import { CONTROLS } from '../layout.js';

/** Extra per-frame columns after the shared ones, all 0..1 or about ±1 (head). */
export const PERFORMER_EXTRA = [
  'jaw', 'lipRound', 'lipSpread', 'lipPress', 'lipTuck', 'teeth', 'blink',
  'headRoll', 'headNod', 'headSway', 'headYaw', 'headPitch',
] as const;
export const PERFORMER_CONTROLS = [...CONTROLS, ...PERFORMER_EXTRA] as const;
export type PerformerControl = (typeof PERFORMER_CONTROLS)[number];

/**
 * `mesh` [H·W, B]: backward displacement (grid units, −1..1 space) of each pixel for one unit
 * of a motion, by column. Mouth columns are interpolated over a triangulation of the landmarks
 * plus a fixed ring around the face; head columns are smooth masks (head 1, torso 0.35).
 * Each column's weight per frame is the control of the same name (x and y share it).
 */
export const MESH_BASES = [
  ['jawX', 'jaw'], ['jawY', 'jaw'],
  ['roundX', 'lipRound'], ['roundY', 'lipRound'],
  ['spreadX', 'lipSpread'], ['spreadY', 'lipSpread'],
  ['pressY', 'lipPress'],
  ['tuckY', 'lipTuck'],
  ['rollX', 'headRoll'], ['rollY', 'headRoll'],
  ['nodY', 'headNod'],
  ['swayX', 'headSway'],
  ['yawX', 'headYaw'],
  ['pitchY', 'headPitch'],
] as const satisfies ReadonlyArray<readonly [string, PerformerControl]>;

/**
 * `maps` [M, H, W], static per pixel:
 * eyeE — signed distance below the upper eyelid line (grid-y units), eyeD — eye opening
 * height there, eyeQ — relu(eyeE + 1.6·eyeD)·eye span (0 away from the eyes);
 * lipDM — distance below the lips' meeting line minus the pixel's own y (so grid y + lipDM
 * is where the sampled source sits relative to that line), lipS — −sign(distance)/softness,
 * lipSpan — 1 across the mouth, tapering at the corners, lipDP — the distance where it is
 * positive (below the line), else 0.
 */
export const MESH_MAPS = ['eyeE', 'eyeD', 'eyeQ', 'lipDM', 'lipS', 'lipSpan', 'lipDP'] as const;
export type MeshMap = (typeof MESH_MAPS)[number];

/** Height of the upper-lid skin that slides down in a blink, in eye openings (eyeQ = relu(eyeE + LID_SKIN·eyeD)·span). */
export const LID_SKIN = 0.9;
