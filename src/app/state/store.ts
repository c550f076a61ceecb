/** One jotai store for the whole studio, so WebSocket handlers and shortcuts can write atoms outside React. */
import { createStore } from 'jotai';

export const store = createStore();
