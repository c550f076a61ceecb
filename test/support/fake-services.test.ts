/** The one fake Services: what a test gives is served as given; using anything else fails loudly, naming it. */
import { describe, expect, it } from 'vitest';
import { createFileService } from '../../src/engine/index.js';
import { fakeServices } from './fake-services.js';

describe('fakeServices', () => {
  it('serves the parts it was given, as given', async () => {
    const files = createFileService();
    const s = fakeServices({ files, inference: { modelHash: async () => 'h' } });
    expect(s.files).toBe(files);
    expect(await s.inference.modelHash('pulse')).toBe('h');
  });

  it('names the service and the call when a test uses one it did not give; destructuring alone is fine', () => {
    const { media, files } = fakeServices({ files: createFileService() });
    expect(files).toBeDefined();
    expect(() => media.probe).toThrow('the test gave no services.media (it asked for media.probe; pass it to fakeServices)');
  });

  it('has no backends unless given (optional by contract), and is not mistaken for a promise', async () => {
    const s = fakeServices();
    expect(s.backends).toBeUndefined();
    expect(await Promise.resolve(s)).toBe(s);
  });
});
