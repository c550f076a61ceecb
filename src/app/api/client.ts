/**
 * The one place the studio talks HTTP to the local server. The page receives the session
 * token in its URL (`/?token=…`) and keeps it in sessionStorage so reloads keep working.
 */
import type { GraphDoc } from '../../engine/graph.js';
import type { NodeTypeInfo } from '../../engine/node.js';
import type { PortType } from '../../engine/types.js';
import type { ModelManifest } from '../../engine/services/inference.js';
import type { FaceAnswer, FractionBox } from '../../protocol/studio-api.js';

export type { FaceAnswer, FractionBox };

const TOKEN_KEY = 's2v.token';

function readToken(): string {
  const fromUrl = new URLSearchParams(location.search).get('token');
  if (fromUrl) {
    sessionStorage.setItem(TOKEN_KEY, fromUrl);
    return fromUrl;
  }
  return sessionStorage.getItem(TOKEN_KEY) ?? '';
}

export const token = readToken();

/** An error the server reported, with the node it is about when it named one. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly node?: string,
  ) {
    super(message);
  }
}

export async function api<T>(path: string, init: RequestInit = {}): Promise<T> {
  const headers = new Headers(init.headers);
  headers.set('X-S2V-Token', token);
  if (init.body && typeof init.body === 'string') headers.set('Content-Type', 'application/json');
  const res = await fetch(`/api${path}`, { ...init, headers });
  const text = await res.text();
  let body: unknown = undefined;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = { error: text };
  }
  if (!res.ok) {
    const b = (body ?? {}) as { error?: string; node?: string };
    throw new ApiError(b.error ?? `${res.status} ${res.statusText}`, res.status, b.node);
  }
  return body as T;
}

/** URL for a media file the server is allowed to stream (assets, graphs, cache, outputs). */
export function fileUrl(path: string, bust?: string | number): string {
  const q = new URLSearchParams({ path, token });
  if (bust !== undefined) q.set('v', String(bust));
  return `/api/files?${q}`;
}

export interface CatalogResponse {
  nodes: NodeTypeInfo[];
  portColors: Record<PortType, string>;
}
export interface Asset {
  id: string;
  name: string;
  path: string;
  kind: 'image' | 'audio' | 'video';
  url: string;
}
export interface TemplateInfo {
  id: string;
  title: string;
  description: string;
  tags: string[];
}
export interface DocumentInfo {
  name: string;
  modified: string | number;
}

/** What `GET /api/info` says about this server; `desktop` = running inside the NW.js app. */
export interface ServerInfo {
  version: string;
  desktop: boolean;
}


export const getInfo = () => api<ServerInfo>('/info');
export const getCatalog = () => api<CatalogResponse>('/catalog');
export const getModels = () => api<ModelManifest[]>('/models');
export const getTemplates = () => api<TemplateInfo[]>('/templates');
export const getTemplate = (id: string) => api<GraphDoc>(`/templates/${encodeURIComponent(id)}`);
export const listDocuments = () => api<DocumentInfo[]>('/documents');
export const getDocument = (name: string) => api<GraphDoc>(`/documents/${encodeURIComponent(name)}`);
export const putDocument = (name: string, doc: GraphDoc) =>
  api<{ ok: boolean; name: string }>(`/documents/${encodeURIComponent(name)}`, { method: 'PUT', body: JSON.stringify(doc) });
export const startRun = (graph: GraphDoc, target?: string, name?: string) =>
  api<{ runId: string }>('/runs', { method: 'POST', body: JSON.stringify({ graph, target, name }) });
export interface VersionInfo {
  id: string;
  saved: string;
  nodes: number;
}
export const listVersions = (name: string) => api<VersionInfo[]>(`/documents/${encodeURIComponent(name)}/versions`);
export const getDocumentVersion = (name: string, id: string) =>
  api<GraphDoc>(`/documents/${encodeURIComponent(name)}/versions/${encodeURIComponent(id)}`);
export const validateGraph = (graph: GraphDoc) => api<{ ok: boolean; error?: string; node?: string }>('/validate', { method: 'POST', body: JSON.stringify({ graph }) });
export const cancelRun = (runId: string) => api<{ ok: boolean }>(`/runs/${encodeURIComponent(runId)}/cancel`, { method: 'POST' });
export const detectFace = (path: string) => api<FaceAnswer>('/detect-face', { method: 'POST', body: JSON.stringify({ path }) });
export const reveal = (path: string) => api<{ ok: boolean }>('/reveal', { method: 'POST', body: JSON.stringify({ path }) });

export async function uploadAsset(file: Blob, name: string): Promise<Asset> {
  return api<Asset>('/assets', {
    method: 'POST',
    // The server reads the name from a header; non-ASCII names would break the header.
    headers: { 'X-Filename': encodeURIComponent(name), 'Content-Type': 'application/octet-stream' },
    body: file,
  });
}

export function eventsUrl(): string {
  const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${proto}//${location.host}/api/events?token=${encodeURIComponent(token)}`;
}
