/** Tests of per-platform folders pretend to run on another OS; this puts the real one back. */
import { afterEach } from 'vitest';

/** Restores process.env and process.platform after each test of the calling suite; returns the platform setter. */
export function platformSandbox(): (platform: string) => void {
  const saved = { ...process.env };
  const real = process.platform;
  const setPlatform = (p: string) => Object.defineProperty(process, 'platform', { value: p });
  afterEach(() => {
    process.env = { ...saved };
    setPlatform(real);
  });
  return setPlatform;
}
