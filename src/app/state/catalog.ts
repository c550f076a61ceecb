/** Node types and models as the server reports them; the palette and node chrome are built from this. */
import { atom } from 'jotai';
import type { NodeTypeInfo } from '../../engine/node.js';
import type { ModelManifest } from '../../engine/services/inference.js';
import { getCatalog, getInfo, getModels, type ServerInfo } from '../api/client.js';
import { store } from './store.js';

export const nodeInfosAtom = atom<NodeTypeInfo[]>([]);
export const nodeInfoByTypeAtom = atom((get) => new Map(get(nodeInfosAtom).map((n) => [n.type, n])));
export const portColorsAtom = atom<Record<string, string>>({});
export const modelsAtom = atom<ModelManifest[]>([]);
/** The server's own description; desktop-only actions (Reveal file) show when `desktop` is true. */
export const serverInfoAtom = atom<ServerInfo>({ version: '', desktop: false });

export async function loadCatalog(): Promise<void> {
  const [cat, models, info] = await Promise.all([
    getCatalog(),
    getModels().catch(() => [] as ModelManifest[]),
    getInfo().catch(() => ({ version: '', desktop: false })),
  ]);
  store.set(serverInfoAtom, info);
  store.set(nodeInfosAtom, cat.nodes);
  store.set(portColorsAtom, cat.portColors);
  store.set(modelsAtom, models);
}

export function infoFor(type: string): NodeTypeInfo | undefined {
  return store.get(nodeInfoByTypeAtom).get(type);
}
