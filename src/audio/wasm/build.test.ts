import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { KERNELS, bytesModule, bytesModulePath, compileKernel } from './build.js';

describe('WebAssembly kernels', () => {
  it.each(KERNELS)('the committed %s-wasm.ts is what its AssemblyScript source compiles to', async (name) => {
    const built = bytesModule(name, await compileKernel(name));
    const committed = readFileSync(bytesModulePath(name), 'utf8');
    if (committed !== built) {
      throw new Error(`${path.relative(process.cwd(), bytesModulePath(name))} is not what assembly/${name}.ts compiles to: run \`npm run build:wasm\``);
    }
    // The module needs nothing from its host: no imports to provide, wherever it runs.
    const module = new WebAssembly.Module(Buffer.from(/'([^']+)'/.exec(committed)![1]!, 'base64'));
    expect(WebAssembly.Module.imports(module)).toEqual([]);
  });

  it('a source that does not compile is one error naming the file', async () => {
    await expect(compileKernel('no-such-kernel' as never)).rejects.toThrow(/cannot compile .*no-such-kernel\.ts/);
  });
});
