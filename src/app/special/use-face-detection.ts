/**
 * The server's face detection for an image file, asked once per path per page (uploads are
 * content-addressed, so a path's picture does not change under it) and shared by every node
 * showing that image. A failed ask is forgotten so the next render retries.
 */
import { useEffect, useState } from 'react';
import { detectFace, type FaceAnswer } from '../api/client.js';

export type FaceDetectionState =
  | { status: 'idle' | 'pending' }
  | { status: 'done'; answer: FaceAnswer }
  | { status: 'error'; error: string };

const asked = new Map<string, Promise<FaceAnswer>>();

function ask(path: string): Promise<FaceAnswer> {
  let p = asked.get(path);
  if (!p) {
    p = detectFace(path);
    asked.set(path, p);
    p.catch(() => asked.delete(path));
  }
  return p;
}

/** Detection for `path`; nothing is fetched while `path` is undefined. */
export function useFaceDetection(path: string | undefined): FaceDetectionState {
  const [state, setState] = useState<{ path?: string; s: FaceDetectionState }>({ s: { status: 'idle' } });
  useEffect(() => {
    if (!path) return;
    let live = true;
    setState((prev) => (prev.path === path && prev.s.status === 'done' ? prev : { path, s: { status: 'pending' } }));
    ask(path).then(
      (answer) => live && setState({ path, s: { status: 'done', answer } }),
      (e: Error) => live && setState({ path, s: { status: 'error', error: e.message } }),
    );
    return () => {
      live = false;
    };
  }, [path]);
  if (!path) return { status: 'idle' };
  return state.path === path ? state.s : { status: 'pending' };
}
