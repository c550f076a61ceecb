/** The run event stream: one WebSocket per page, reconnecting with backoff when the server restarts. */
import { eventsUrl } from './client.js';
import { applyEvent, type ServerEvent } from '../state/run.js';

let ready: Promise<void> | undefined;

export function connectEvents(): Promise<void> {
  if (ready) return ready;
  ready = new Promise<void>((resolve) => {
    let delay = 500;
    const open = () => {
      const ws = new WebSocket(eventsUrl());
      ws.onopen = () => {
        delay = 500;
        resolve();
      };
      ws.onmessage = (m) => {
        try {
          applyEvent(JSON.parse(String(m.data)) as ServerEvent);
        } catch {
          /* a malformed message must not stop the stream */
        }
      };
      ws.onclose = () => {
        setTimeout(open, delay);
        delay = Math.min(delay * 2, 8000);
      };
    };
    open();
  });
  return ready;
}
