/**
 * The one fake `Services` for tests: give it the services (or the parts of one) a test uses,
 * real or stubbed. Using any other service throws, naming it: a test that touches a service it
 * did not set up is a test bug, not a TypeError three calls later. (A missing service may still
 * be destructured; only calling into it throws.) `backends` is optional in `Services`, so an
 * absent one reads as undefined, as in a front door that wires none.
 */
import type { Services } from '../../src/engine/index.js';

export type ServiceParts = { [K in keyof Services]?: Partial<NonNullable<Services[K]>> };

export function fakeServices(parts: ServiceParts = {}): Services {
  return new Proxy(parts as Services, {
    get(target, key) {
      if (typeof key === 'symbol' || key in target) return Reflect.get(target, key);
      // `then`: awaiting a value probes it; `backends`: optional by contract.
      if (key === 'then' || key === 'backends' || key === 'toJSON') return undefined;
      return missing(key);
    },
  });
}

function missing(service: string): never {
  return new Proxy({}, {
    get(_t, key) {
      if (key === 'then' || typeof key === 'symbol') return undefined;
      throw new Error(`the test gave no services.${service} (it asked for ${service}.${String(key)}; pass it to fakeServices)`);
    },
  }) as never;
}
