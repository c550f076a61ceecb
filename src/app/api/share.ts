/** Client side of the server's sharing endpoints (src/server/API.md "Sharing"). */
import type { GraphDoc } from '../../engine/graph.js';
import { api, token, ApiError } from './client.js';
import type { GalleryItem } from '../../protocol/sharing.js';

export interface Need {
  kind: string;
  where: string;
  what: string;
  fix: string;
  line: string;
}

export type { GalleryItem };

export const getGallery = () => api<GalleryItem[]>('/gallery');
export const getNeeds = (graph: GraphDoc) => api<{ needs: Need[] }>('/needs', { method: 'POST', body: JSON.stringify({ graph }) });

function upload<T>(path: string, file: Blob, name: string): Promise<T> {
  return api<T>(path, { method: 'POST', headers: { 'X-Filename': encodeURIComponent(name), 'Content-Type': 'application/octet-stream' }, body: file });
}

export const importBundle = (file: Blob, name: string) => upload<{ graph: GraphDoc; title: string; thumbnail?: string; needs: Need[] }>('/bundles/import', file, name);
export const graphFromVideo = (file: Blob, name: string) => upload<{ graph: GraphDoc; app: { version: string }; needs: Need[] }>('/graph-from-video', file, name);

/** The bundle as a Blob plus the file name the server chose. */
export async function exportBundle(graph: GraphDoc, name: string): Promise<{ blob: Blob; fileName: string }> {
  const res = await fetch('/api/bundles/export', {
    method: 'POST',
    headers: { 'X-S2V-Token': token, 'Content-Type': 'application/json' },
    body: JSON.stringify({ graph, name }),
  });
  if (!res.ok) {
    const b = (await res.json().catch(() => ({}))) as { error?: string; node?: string };
    throw new ApiError(b.error ?? `${res.status} ${res.statusText}`, res.status, b.node);
  }
  const m = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '');
  return { blob: await res.blob(), fileName: m?.[1] ?? 'graph.s2vpack' };
}
