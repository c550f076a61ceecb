/** Loads the shipped cascades from models/face-haar/ once per process. */

import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { S2VError } from '../../engine/errors.js';
import { parseCascade, type HaarCascade } from './haar.js';

/** Resolved from this file so it works from the repo, the CLI and the desktop shell alike. */
export const FACE_MODEL_DIR = new URL('../../../models/face-haar/', import.meta.url);

export interface FaceCascades {
  face: HaarCascade;
  eye: HaarCascade;
  smile: HaarCascade;
}

const FILES = {
  face: 'haarcascade_frontalface_alt2.xml',
  eye: 'haarcascade_eye.xml',
  smile: 'haarcascade_smile.xml',
} as const;

let loading: Promise<FaceCascades> | undefined;

async function load(name: string): Promise<HaarCascade> {
  const path = fileURLToPath(new URL(name, FACE_MODEL_DIR));
  let xml: string;
  try {
    xml = await readFile(path, 'utf8');
  } catch (e) {
    throw new S2VError('E111', 'face cascade missing or unreadable', { where: path, hint: 'restore models/face-haar/ from the repository', exitCode: 1, cause: e });
  }
  try {
    return parseCascade(xml);
  } catch (e) {
    throw new S2VError('E111', `face cascade is corrupt: ${(e as Error).message}`, { where: path, hint: 'restore models/face-haar/ from the repository', exitCode: 1, cause: e });
  }
}

/** Parse the three cascades (≈100 ms) the first time; later calls share the result. A failure is not cached. */
export function faceCascades(): Promise<FaceCascades> {
  loading ??= Promise.all([load(FILES.face), load(FILES.eye), load(FILES.smile)]).then(([face, eye, smile]) => ({ face, eye, smile }));
  loading.catch(() => { loading = undefined; });
  return loading;
}
