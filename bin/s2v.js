#!/usr/bin/env node
// Entry point for `s2v`: works right after `npm install`, with no build step to remember
// (see load-cli.js for how the TypeScript sources are run).

// `s2v analyze x.wav --json | head` closes the pipe early: that is not an error. Any other
// failure to write the output (a full disk, /dev/full) is one line and exit 1, not a stack.
// Set up only on the way to the CLI: a run answered from its memo writes without Node's streams
// (run-memo.js writeOut, the same outcomes), whose loading was ≈ 8 ms of its answer.
const guardStdout = () =>
  process.stdout.on('error', (e) => {
    if (e.code === 'EPIPE') process.exit(0);
    process.stderr.write(`error: cannot write to standard output (${e.code ?? e.message})\n`);
    process.exit(1);
  });
// `s2v analyze <file>`: ffmpeg starts decoding the file while the CLI loads (early-decode.js).
// With it, the VAD's worker thread starts loading its model (early-vad.js).
if (process.argv[2] === 'analyze' && (await import('./early-decode.js')).startEarlyDecode(process.argv.slice(2))) (await import('./early-vad.js')).startEarlyVad();
// A run in which nothing changed is answered from its memo without loading the engine (run-memo.js).
// Anything the memo's code throws (a malformed bundle manifest, a hostile memo) is a miss: the
// normal path then runs, and reports what is wrong if anything is.
const isRun = process.argv[2] === 'run';
// Only `run` has a memo: no other command loads its module.
const memo = isRun ? await import('./run-memo.js') : undefined;
const memoRequest = (argv) => {
  try {
    return memo?.runMemoRequest(argv);
  } catch {
    return undefined;
  }
};
const debugMemo = Boolean(process.env.S2V_DEBUG_RUN_MEMO);
// The memo's answer is written straight to the descriptors (run-memo.js writeOut); the debug line
// goes first, so it is there even when standard output turns out to be closed.
const answer = memo && {
  stdout: (s) => {
    if (debugMemo) memo.writeOut(2, 's2v: answered from the run memo\n');
    memo.writeOut(1, s);
  },
  stderr: (s) => memo.writeOut(2, s),
};
const replayed = async (req) => {
  try {
    return (await memo?.replayRun(req, answer)) ?? false;
  } catch {
    return false;
  }
};
let runMemo = isRun ? memoRequest(process.argv.slice(3)) : undefined;
if (runMemo && (await replayed(runMemo))) {
  process.exitCode = 0;
} else {
  guardStdout();
  // Loaded only now: a run answered from its memo needs none of the bundler's code.
  const { loadCli } = await import('./load-cli.js');
  const { main } = await loadCli(process.argv[2]);
  // A run that first built the bundle (no fresh one before) may leave a memo keyed by the new one.
  if (isRun && !runMemo) {
    runMemo = memoRequest(process.argv.slice(3));
    if (runMemo && debugMemo) process.stderr.write('s2v: no memo read: the CLI bundle was out of date\n');
  }
  process.exitCode = await main(process.argv.slice(2), undefined, { runMemo });
}
