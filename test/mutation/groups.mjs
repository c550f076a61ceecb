// The groups `npm run mutate` runs, one Stryker run each: what is mutated, which tests may
// kill its mutants (only these run, so a group never waits on unrelated slow tests), and
// the mutation score the group must reach (issue #14).
export const GROUPS = [
  {
    name: 'engine',
    folder: 'src/engine',
    mutate: ['src/engine/**/*.ts', '!src/engine/**/*.test.ts', '!src/engine/services/**', '!src/engine/studio-api.ts', '!src/engine/types.ts'],
    tests: ['src/engine/*.test.ts', 'src/engine/**/*.test.ts'],
    threshold: 85,
  },
  {
    name: 'server-security',
    folder: 'src/server (security.ts, paths.ts)',
    mutate: ['src/server/security.ts', 'src/server/paths.ts'],
    tests: ['src/server/security.test.ts', 'src/server/paths.test.ts', 'src/server/data.test.ts'],
    threshold: 85,
  },
  {
    name: 'media-args',
    folder: 'src/media/args.ts',
    mutate: ['src/media/args.ts'],
    tests: ['src/media/args.test.ts'],
    threshold: 70,
  },
  {
    name: 'trim',
    folder: 'nodes/trim',
    mutate: ['nodes/trim/*.ts', '!nodes/trim/*.test.ts'],
    tests: ['nodes/trim/*.test.ts'],
    threshold: 70,
  },
  {
    name: 'video-model',
    folder: 'nodes/video-model',
    mutate: ['nodes/video-model/*.ts', '!nodes/video-model/*.test.ts'],
    tests: ['nodes/video-model/*.test.ts'],
    threshold: 70,
  },
];

export function groupNamed(name) {
  const g = GROUPS.find((x) => x.name === name);
  if (!g) throw new Error(`no mutation group "${name}" (one of: ${GROUPS.map((x) => x.name).join(', ')})`);
  return g;
}
