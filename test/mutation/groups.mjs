// The groups `npm run mutate` runs, one Stryker run each: what is mutated, which tests may
// kill its mutants (only these run, so a group never waits on unrelated slow tests), and
// the mutation score the group must reach (issue #14).
import fs from 'node:fs';

/** `file:from-to` covering the lines from the first line matching `marker` to the end (Stryker line ranges). */
function fromMarker(file, marker) {
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  const at = lines.findIndex((l) => marker.test(l));
  if (at < 0) throw new Error(`${file}: no line matches ${marker}`);
  return `${file}:${at + 1}-${lines.length}`;
}
export const GROUPS = [
  {
    name: 'engine',
    folder: 'src/engine',
    mutate: ['src/engine/**/*.ts', '!src/engine/**/*.test.ts', '!src/engine/services/**', '!src/engine/geometry.ts', '!src/engine/run-events.ts'],
    tests: ['src/engine/*.test.ts', 'src/engine/**/*.test.ts'],
    threshold: 85,
  },
  {
    name: 'server-security',
    folder: 'src/server (security.ts, paths.ts)',
    mutate: ['src/server/security.ts', 'src/server/paths.ts'],
    tests: ['src/server/security.test.ts', 'src/server/security-guards.test.ts', 'src/server/paths.test.ts', 'src/server/data.test.ts'],
    threshold: 85,
  },
  {
    name: 'media-args',
    folder: 'src/media/args.ts',
    mutate: ['src/media/args.ts'],
    tests: ['src/media/args.test.ts', 'src/media/args-exact.test.ts'],
    threshold: 70,
  },
  {
    name: 'trim',
    folder: 'nodes/trim',
    mutate: ['nodes/trim/*.ts', '!nodes/trim/*.test.ts'],
    // The node's decisions against an in-memory cutter (milliseconds a mutant); trim.test.ts
    // checks the same on real ffmpeg and a beat tracker, too slow to run per mutant.
    tests: ['nodes/trim/trim-wiring.test.ts'],
    threshold: 70,
  },
  {
    // The node itself, against its wiring test (shipped manifests, recording stand-ins for
    // the services: milliseconds a mutant). The end-to-end renders (video-model.test.ts,
    // node-contract.test.ts) take a minute each and are not run per mutant.
    name: 'video-model',
    folder: 'nodes/video-model (the node, prepare)',
    mutate: ['nodes/video-model/video-model.node.ts', 'nodes/video-model/prepare.ts'],
    tests: ['nodes/video-model/video-model-wiring.test.ts'],
    threshold: 70,
    ignoreStatic: true,
  },
  {
    // Its helpers against their own unit tests (the renders above would make every mutant
    // here take seconds; models.test.ts renders through onnxruntime and is left out for that
    // reason). style.ts is mutated from its functions on: the palette/lexicon tables above
    // them are data (a changed hex digit is a different look, not a bug a test can name).
    // Static mutants (module-level values) are skipped.
    name: 'video-model-parts',
    folder: 'nodes/video-model (controls, style, sync, render, plan, face-boxes)',
    mutate: [
      'nodes/video-model/controls.ts', 'nodes/video-model/face-boxes.ts', 'nodes/video-model/plan.ts', 'nodes/video-model/render.ts', 'nodes/video-model/sync.ts',
      fromMarker('nodes/video-model/style.ts', /^export function seededRandom/),
    ],
    tests: [
      'nodes/video-model/style-sync.test.ts', 'nodes/video-model/style.test.ts', 'nodes/video-model/controls.test.ts', 'nodes/video-model/face-boxes.test.ts',
      'nodes/video-model/sync.test.ts', 'nodes/video-model/render.test.ts', 'nodes/video-model/render-loop.test.ts', 'nodes/video-model/plan.test.ts', 'nodes/video-model/plan-rules.test.ts',
    ],
    threshold: 70,
    ignoreStatic: true,
  },
  {
    // The performer's face: landmarks → warp bases and maps, the triangulation under them,
    // which face is animated and the template face for a hand-set mouth box. The template's
    // 68 coordinates are data (static, skipped).
    name: 'performer-face',
    folder: 'nodes/video-model (face-mesh, face-template, performer-face, triangulate)',
    mutate: ['nodes/video-model/face-mesh.ts', 'nodes/video-model/face-template.ts', 'nodes/video-model/performer-face.ts', 'nodes/video-model/triangulate.ts'],
    tests: ['nodes/video-model/face-mesh.test.ts', 'nodes/video-model/triangulate.test.ts', 'nodes/video-model/performer-face.test.ts'],
    threshold: 70,
    ignoreStatic: true,
  },
];

export function groupNamed(name) {
  const g = GROUPS.find((x) => x.name === name);
  if (!g) throw new Error(`no mutation group "${name}" (one of: ${GROUPS.map((x) => x.name).join(', ')})`);
  return g;
}
