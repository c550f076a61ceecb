/**
 * The frame the studio shows on a Video Model node while it renders. The latest RGB frame is
 * written every ~0.7 s as a BMP (a few lines of code, no encoder process, and every browser
 * shows it) beside the render, replaced atomically so the browser never reads half a file,
 * and removed when the render ends so it never becomes part of the cache entry.
 */
import fs from 'node:fs/promises';
import path from 'node:path';

/** A 24-bit bottom-up BMP of a packed RGB frame. */
export function bmpFromRgb(rgb: Uint8Array, width: number, height: number): Buffer {
  const row = Math.ceil((width * 3) / 4) * 4;
  const size = 54 + row * height;
  const b = Buffer.alloc(size);
  b.write('BM', 0, 'ascii');
  b.writeUInt32LE(size, 2);
  b.writeUInt32LE(54, 10);
  b.writeUInt32LE(40, 14);
  b.writeInt32LE(width, 18);
  b.writeInt32LE(height, 22);
  b.writeUInt16LE(1, 26);
  b.writeUInt16LE(24, 28);
  b.writeUInt32LE(row * height, 34);
  for (let y = 0; y < height; y++) {
    const o = 54 + (height - 1 - y) * row;
    for (let x = 0; x < width; x++) {
      const s = (y * width + x) * 3;
      b[o + x * 3] = rgb[s + 2]!;
      b[o + x * 3 + 1] = rgb[s + 1]!;
      b[o + x * 3 + 2] = rgb[s]!;
    }
  }
  return b;
}

export interface PreviewWriter {
  /** Remember the newest frame (cheap: a copy only when a preview is due). */
  offer(frame: Uint8Array): void;
  /** Write the newest frame when one is due; resolves to its path, or undefined when not due. */
  flush(): Promise<string | undefined>;
  /** Remove the preview file. */
  dispose(): Promise<void>;
}

/** For renders nobody watches (`s2v run`): nothing is copied or written. */
export const noPreview: PreviewWriter = { offer: () => undefined, flush: async () => undefined, dispose: async () => undefined };

export function previewWriter(dir: string, width: number, height: number, everyMs = 700): PreviewWriter {
  const file = path.join(dir, 'live-preview.bmp');
  let latest: Uint8Array | undefined;
  let last = 0;
  let n = 0;
  let closed = false;
  let writing: Promise<unknown> = Promise.resolve();
  const due = () => Date.now() - last >= everyMs;
  return {
    offer(frame) {
      if (due() || !latest) latest = Uint8Array.from(frame);
    },
    async flush() {
      if (closed || !latest || !due()) return undefined;
      last = Date.now();
      const tmp = `${file}.${n++}.tmp`;
      const bytes = bmpFromRgb(latest, width, height);
      latest = undefined;
      const w = fs.writeFile(tmp, bytes).then(() => fs.rename(tmp, file));
      writing = w.catch(() => fs.rm(tmp, { force: true }));
      await w;
      return closed ? undefined : file;
    },
    async dispose() {
      closed = true;
      await writing;
      await fs.rm(file, { force: true });
    },
  };
}
