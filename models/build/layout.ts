/**
 * The contract between the shipped graphs and the code that feeds them. Written into
 * every manifest (`controls`, `style`) so the Video Model node fills tensors by name and
 * never hard-codes a column index.
 *
 * `controls` is a [N, K] float tensor, one row per video frame. Curves are 0..1 (each
 * normalised over the whole track), `since*` are seconds since the last event (large
 * when none yet), `t` is the frame time in seconds, `motion` the user × prompt motion scale.
 */
export const CONTROLS = [
  't',
  'rms',
  'onset',
  'bass',
  'treble',
  'brightness',
  'percussive',
  'mouth',
  'vocal',
  'sinceBeat',
  'sinceDownbeat',
  'sinceSection',
  'sinceOnset',
  'shakeX',
  'shakeY',
  'rmsSlow',
  'brightSlow',
  'sinceBlink',
  'motion',
  'beatSign',
] as const;
export type ControlName = (typeof CONTROLS)[number];

/**
 * `style` is a [1, S] float tensor from the prompt lexicon and the seed: palette (three
 * colours, 0..1), grade (gain/lift per channel, saturation, contrast, vignette),
 * particles (column/cell density, slant, fall speed, presence threshold, amount, colour,
 * size/length/hardness of each particle, sway and flicker depth), abstract forms
 * (plasma/rings/swirl/bursts weights), seed phases and shimmer.
 */
export const STYLE = [
  'c0r', 'c0g', 'c0b', 'c1r', 'c1g', 'c1b', 'c2r', 'c2g', 'c2b',
  'gainR', 'gainG', 'gainB', 'liftR', 'liftG', 'liftB',
  'saturation', 'contrast', 'vignette',
  'pFx', 'pFy', 'pSlant', 'pVy', 'pThresh', 'pAmount', 'pR', 'pG', 'pB',
  'pSize', 'pLen', 'pHard', 'pSway', 'pFlicker',
  'plasma', 'rings', 'swirl', 'bursts',
  'seedA', 'seedB', 'seedC',
  'shimmer',
] as const;
export type StyleName = (typeof STYLE)[number];

/**
 * `boxes` [1, B] for the performer, in normalised image coordinates (-1..1; x not
 * aspect-scaled): face centre (the head pivot), mouth centre + half sizes, eye centres +
 * half sizes (must be > 0), and gains: mouthGain (stretch strength, 1 = a real mouth box),
 * mouthDark (0..1 darkening inside the opening), blink (0 disables blinks).
 */
export const BOXES = [
  'faceX', 'faceY',
  'mouthX', 'mouthY', 'mouthHw', 'mouthHh', 'mouthGain', 'mouthDark',
  'eyeLX', 'eyeLY', 'eyeLHw', 'eyeLHh', 'eyeRX', 'eyeRY', 'eyeRHw', 'eyeRHh', 'blink',
] as const;
export type BoxName = (typeof BOXES)[number];

export function controlIndex(name: ControlName): number {
  return CONTROLS.indexOf(name);
}
export function styleIndex(name: StyleName): number {
  return STYLE.indexOf(name);
}
