/**
 * Errors that stay until read: each names where it happened (with a button that shows the
 * node) and is dismissed by the user, not by the next status message.
 */
import { useAtomValue } from 'jotai';
import { useReactFlow } from '@xyflow/react';
import { dismiss, noticesAtom } from '../state/notify.js';
import { docAtom } from '../state/doc.js';
import { select } from '../canvas/commands.js';

export function Notifications() {
  const notices = useAtomValue(noticesAtom);
  const doc = useAtomValue(docAtom);
  const rf = useReactFlow();
  if (!notices.length) return null;
  const show = (id: string) => {
    const n = doc.nodes.find((x) => x.id === id);
    if (!n) return;
    select([id]);
    void rf.setCenter(n.position.x + 140, n.position.y + 80, { zoom: Math.max(rf.getZoom(), 0.8), duration: 200 });
  };
  return (
    <section className="notifications" aria-label="Notifications">
      <ul>
        {notices.map((n) => (
          <li key={n.id} className="notice" role="alert">
            <p>{n.text}</p>
            <div className="notice-actions">
              {n.node && doc.nodes.some((x) => x.id === n.node) && (
                <button type="button" className="btn small" onClick={() => show(n.node!)}>
                  Show {n.node}
                </button>
              )}
              <button type="button" className="btn small" aria-label={`Dismiss: ${n.text}`} onClick={() => dismiss(n.id)}>
                Dismiss
              </button>
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
