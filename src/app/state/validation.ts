/**
 * Live validation: shortly after every edit the server checks the graph exactly as a run
 * would (POST /api/validate) and the first problem is shown on the node it names, so a graph
 * is not refused at Run before the user could tell what is missing.
 */
import { atom } from 'jotai';
import { validateGraph } from '../api/client.js';
import { docAtom } from './doc.js';
import { store } from './store.js';

export interface Verdict {
  /** The problem in one line, or undefined when the graph would run. */
  error?: string;
  node?: string;
  /** The document the verdict is about (a newer edit makes it stale). */
  doc?: unknown;
}

export const verdictAtom = atom<Verdict>({});

const perNode = new Map<string, ReturnType<typeof makeNodeVerdict>>();
const makeNodeVerdict = (id: string) => atom((get) => {
  const v = get(verdictAtom);
  return v.node === id ? v.error : undefined;
});
/** The reason a node would be refused, from the latest check (it follows each edit within a moment). */
export function nodeVerdictAtom(id: string) {
  let a = perNode.get(id);
  if (!a) perNode.set(id, (a = makeNodeVerdict(id)));
  return a;
}

export function startLiveValidation(delayMs = 350): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let asked = 0;
  const check = () => {
    const doc = store.get(docAtom);
    if (!doc.nodes.length) {
      store.set(verdictAtom, { doc });
      return;
    }
    const n = ++asked;
    validateGraph(doc).then(
      (r) => n === asked && store.set(verdictAtom, r.ok ? { doc } : { error: r.error, node: r.node, doc }),
      () => undefined,
    );
  };
  const un = store.sub(docAtom, () => {
    clearTimeout(timer);
    timer = setTimeout(check, delayMs);
  });
  check();
  return () => {
    clearTimeout(timer);
    un();
  };
}
