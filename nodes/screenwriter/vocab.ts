/**
 * The cinematic vocabulary the built-in screenwriter draws from. Each list is grouped by the
 * audio's character so calm music gets slow moves and soft light, energetic music gets
 * handheld energy and hard light, bright music gets bright grades and dark music dark ones.
 */
export type Energy = 'calm' | 'moderate' | 'energetic';
export type Tone = 'bright' | 'neutral' | 'dark';

export const SHOTS: Record<Energy, string[]> = {
  calm: ['wide establishing shot', 'slow medium shot', 'static wide shot', 'intimate close-up'],
  moderate: ['medium shot', 'medium close-up', 'three-quarter shot', 'over-the-shoulder shot'],
  energetic: ['dynamic low-angle shot', 'tight close-up', 'dutch-angle medium shot', 'extreme close-up'],
};

export const LENSES: Record<Energy, string[]> = {
  calm: ['85mm lens with shallow depth of field', '50mm lens, soft background bokeh', 'anamorphic lens, gentle oval bokeh'],
  moderate: ['35mm lens', '50mm lens at f/2', 'anamorphic 40mm lens'],
  energetic: ['24mm wide-angle lens', '18mm lens with slight distortion', '35mm lens, deep focus'],
};

export const CAMERA: Record<Energy, string[]> = {
  calm: ['slow dolly-in', 'gentle lateral slide', 'locked-off tripod frame', 'slow crane rise'],
  moderate: ['smooth gimbal tracking shot', 'steady push-in', 'slow orbit around the subject'],
  energetic: ['handheld camera with kinetic energy', 'fast whip-pan', 'rapid push-in', 'swooping drone move'],
};

export const LIGHTING: Record<Tone, string[]> = {
  bright: ['soft golden-hour sunlight', 'airy high-key daylight', 'warm backlight with lens flare'],
  neutral: ['soft window light', 'overcast diffused light', 'motivated practical lamps'],
  dark: ['low-key lighting with deep shadows', 'moody neon rim light', 'single hard key light, chiaroscuro'],
};

export const GRADES: Record<Tone, string[]> = {
  bright: ['warm pastel colour grade', 'vibrant saturated colours', 'creamy highlights, lifted blacks'],
  neutral: ['natural filmic colour grade', 'Kodak Portra tones', 'subtle teal-and-orange grade'],
  dark: ['desaturated teal shadows', 'deep blue night grade', 'crushed blacks with crimson accents'],
};

export const ATMOSPHERE: Record<Energy, string[]> = {
  calm: ['drifting dust motes in the air', 'soft haze', 'light mist over the ground', 'still, quiet air'],
  moderate: ['light atmospheric haze', 'floating particles catching the light', 'a gentle breeze'],
  energetic: ['sparks and flying debris', 'swirling smoke', 'rain streaking through the light', 'strobing reflections'],
};

export const DETAIL: string[] = [
  'fine texture visible on every surface',
  'rich detail in the foreground',
  'crisp focus on the subject',
  'subtle reflections around the subject',
  'layered depth between foreground and background',
];
