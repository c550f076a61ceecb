/**
 * `npm run bench`: speed, memory and quality numbers, each a ratio or score taken in this
 * one run (never asserted in tests). Sections: render (cached re-run, vs ffmpeg alone),
 * start-up and `s2v analyze` in fresh processes (vs bare node, vs aubio),
 * audio analysis, beat tracking on the human-written corpus (vs aubio), vocal activity over
 * that corpus, video models,
 * music generation, studio.
 * Usage: npm run bench [-- section…]
 */
export {};

const sections: Array<[string, string, string]> = [
  ['render', './render-bench.js', 'benchRender'],
  ['startup', './startup-bench.js', 'benchStartup'],
  ['audio', './audio-bench.js', 'benchAudio'],
  ['beats', './beat-corpus-bench.js', 'benchBeatCorpus'],
  ['vad', './vad-music-bench.js', 'benchVadMusic'],
  ['models', './models-bench.js', 'benchModels'],
  ['performer', './performer-bench.js', 'benchPerformer'],
  ['generate', './generate-bench.js', 'benchGenerate'],
  ['studio', './studio-bench.js', 'benchStudio'],
];

const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
let failed = 0;
for (const [name, file, fn] of sections) {
  if (wanted.length && !wanted.includes(name)) continue;
  console.log(`\n== ${name} ==`);
  try {
    const mod = (await import(file)) as Record<string, () => Promise<void>>;
    await mod[fn]!();
  } catch (e) {
    failed++;
    console.log(`${name}: failed — ${(e as Error).message}`);
  }
}
process.exitCode = failed ? 1 : 0;
