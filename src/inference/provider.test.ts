import { describe, expect, it } from 'vitest';
import { chooseProvider, executionProviders, type Provider } from './provider.js';

const avail = (...ps: Provider[]) => (p: Provider) => p === 'cpu' || ps.includes(p);

describe('chooseProvider', () => {
  it('prefers CoreML on macOS when onnxruntime offers it', () => {
    expect(chooseProvider({ platform: 'darwin', available: avail('coreml') })).toEqual({ provider: 'coreml' });
  });
  it('uses CUDA when present, else CPU', () => {
    expect(chooseProvider({ platform: 'linux', available: avail('cuda') })).toEqual({ provider: 'cuda' });
    expect(chooseProvider({ platform: 'linux', available: avail() })).toEqual({ provider: 'cpu' });
    expect(chooseProvider({ platform: 'win32', available: avail('coreml') })).toEqual({ provider: 'cpu' });
  });
  it('honours an explicit request when available', () => {
    expect(chooseProvider({ platform: 'darwin', requested: 'cpu', available: avail('coreml') })).toEqual({ provider: 'cpu' });
    expect(chooseProvider({ platform: 'linux', requested: 'CUDA', available: avail('cuda') })).toEqual({ provider: 'cuda' });
    expect(chooseProvider({ platform: 'linux', requested: 'auto', available: avail('cuda') })).toEqual({ provider: 'cuda' });
  });
  it('falls back to CPU with a warning when the request cannot be met', () => {
    const r = chooseProvider({ platform: 'linux', requested: 'coreml', available: avail() });
    expect(r.provider).toBe('cpu');
    expect(r.warning).toMatch(/coreml.*not available/);
    const u = chooseProvider({ platform: 'linux', requested: 'tpu', available: avail() });
    expect(u.provider).toBe('cpu');
    expect(u.warning).toMatch(/unknown execution provider "tpu"/);
  });
  it('keeps CPU behind accelerators for unsupported ops', () => {
    expect(executionProviders('cuda')).toEqual(['cuda', 'cpu']);
    expect(executionProviders('cpu')).toEqual(['cpu']);
  });
});
