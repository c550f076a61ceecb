// One onnxruntime session on its own thread. Plain JS (no TypeScript loader needed in
// workers). onnxruntime-node runs inference synchronously on the calling thread, so
// hosting it here keeps the main thread free to stream frames into ffmpeg meanwhile.
// CommonJS: a thread whose script is an ES module first loads Node's ES module loader, ≈ 9 ms
// more of every thread's start (an empty thread, measured standalone) — the VAD's thread of
// `s2v analyze` is on the command's critical path.
'use strict';
/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS on purpose: see above. */
// node:crypto only when a model's bytes are hashed or a memo written: loading it is ≈ 5 ms of
// this thread's start (measured in a thread), and an analysis that finds its memo needs neither.
const crypto = () => require('node:crypto');
const { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } = require('node:fs');
const path = require('node:path');
const { parentPort, workerData } = require('node:worker_threads');

const { modelPath, providers, threads, graphOptimizationLevel = 'all', hashModel = false, ortCache } = workerData;

// With `hashModel`, the model's bytes are read here, their sha256 is sent first (the registry
// checks it against the manifest instead of reading and hashing the file on the main thread,
// see PooledSession.loadedSha256) and the session opens from those same bytes.
let model = modelPath;
let sha256;
/** Where the hash came from: 'bytes' (read and hashed here) or 'memo' (see rememberedHash; tests). */
let hashedFrom;
if (hashModel) {
  try {
    sha256 = rememberedHash();
    hashedFrom = 'memo';
    if (!sha256) {
      const st = statSync(modelPath);
      model = readFileSync(modelPath);
      sha256 = crypto().createHash('sha256').update(model).digest('hex');
      hashedFrom = 'bytes';
      rememberHash(st, sha256);
    }
    parentPort.postMessage({ type: 'hashed', sha256 });
  } catch {
    // Unreadable here: the main thread's own check reports it.
    model = modelPath;
    parentPort.postMessage({ type: 'hashed' });
  }
}

/**
 * With `ortCache` (see ortCopy), the model's sha256 is remembered there for the file as it was
 * hashed: its path, size, modification and change times, inode and device (rewriting the file
 * changes its change time, which cannot be set back). A later thread that finds the file so takes
 * the hash from the memo and reads neither the model nor its bytes' hash: for Silero (2.3 MB) on
 * `s2v analyze` of a 30 s clip, 15 interleaved runs: ≈ 10–15 ms less CPU and ≈ 500 fewer page faults
 * (of ≈ 18.6 k), on a 2-core machine where this thread shares a core with the analysis. A file as it was when
 * hashed has the bytes it had; the memo is trusted as the copy beside it is, and the registry still
 * checks the hash against the manifest.
 */
function hashMemoFile() {
  // Named by an FNV-1a hash of the model's path (no node:crypto on this path): two paths that
  // collide share a file, and the memo names the path it is for, so one only misses the other's.
  let h = 0xcbf29ce484222325n;
  for (const c of Buffer.from(modelPath)) h = BigInt.asUintN(64, (h ^ BigInt(c)) * 0x100000001b3n);
  return path.join(ortCache, `${h.toString(16).padStart(16, '0')}.sha256.json`);
}

function fileState(st) {
  return [st.size, st.mtimeMs, st.ctimeMs, st.ino, st.dev];
}

/** The remembered sha256 of the model file when the file is as it was then; else undefined. */
function rememberedHash() {
  if (!ortCache || graphOptimizationLevel !== 'disabled') return undefined;
  try {
    const memo = JSON.parse(readFileSync(hashMemoFile(), 'utf8'));
    const now = fileState(statSync(modelPath));
    const same = memo?.path === modelPath && Array.isArray(memo.state) && memo.state.length === now.length && memo.state.every((v, i) => v === now[i]);
    return same && typeof memo.sha256 === 'string' && /^[0-9a-f]{64}$/.test(memo.sha256) ? memo.sha256 : undefined;
  } catch {
    return undefined;
  }
}

/** Remembers `sha256` for the file as `st` found it before it was read (written whole or not at all). */
function rememberHash(st, sha) {
  if (!ortCache || graphOptimizationLevel !== 'disabled') return;
  const file = hashMemoFile();
  const tmp = `${file}.${process.pid}.${crypto().randomBytes(3).toString('hex')}.tmp`;
  try {
    mkdirSync(ortCache, { recursive: true });
    writeFileSync(tmp, JSON.stringify({ path: modelPath, state: fileState(st), sha256: sha }));
    renameSync(tmp, file);
  } catch {
    rmSync(tmp, { force: true });
  }
}

const ort = require('onnxruntime-node');
ort.env.logLevel = 'error';

const options = {
  executionProviders: providers,
  intraOpNumThreads: threads,
  interOpNumThreads: 1,
  graphOptimizationLevel,
  // With the arena, a run's intermediate tensors come from blocks the session keeps and
  // reuses. Without it they go back to malloc after each run, and glibc (whose mmap threshold
  // rises to the largest block freed) keeps them in this thread's heap anyway, fragmented:
  // measured on a 20 s pulse render at 512², peak RSS 414 → 380 MB with the arena (and
  // 304 MB with one frame per call, see video-model.node.ts), at the same CPU per frame.
  enableCpuMemArena: true,
  enableMemPattern: false,
};

/**
 * With `ortCache` (a folder), a model opened without graph optimisation is kept there in
 * onnxruntime's own format, named by the sha256 of the ONNX bytes hashed above and onnxruntime's
 * version, and opened from that copy next time with its tensors read in place
 * (use_ort_model_bytes_directly / _for_initializers): no protobuf to parse and no copies of the
 * weights. For Silero (2.3 MB) that opened in ≈ 70 ms instead of ≈ 107 ms with 2.5 k fewer
 * page faults (standalone, first session of the process), with bit-identical outputs (the graph
 * is the same, unoptimised; early-worker.test.ts compares). The copy is written once, through a temp
 * file and a rename; one that does not open (damaged, another onnxruntime) is replaced. The
 * folder is trusted as the CLI's compiled-code cache beside it is (node_modules/.cache/s2v).
 */
function ortCopy() {
  if (!ortCache || !sha256 || graphOptimizationLevel !== 'disabled') return undefined;
  try {
    return path.join(ortCache, `${sha256.slice(0, 32)}-ort${require('onnxruntime-node/package.json').version}.ort`);
  } catch {
    return undefined;
  }
}

/** Opens the session from the ORT-format copy when there is one; otherwise from the model, leaving a copy. */
async function open() {
  const copy = ortCopy();
  if (copy) {
    let bytes;
    try {
      bytes = readFileSync(copy);
    } catch {
      // None yet.
    }
    if (bytes) {
      try {
        const s = await ort.InferenceSession.create(bytes, { ...options, extra: { session: { use_ort_model_bytes_directly: '1', use_ort_model_bytes_for_initializers: '1' } } });
        // The session reads its tensors from these bytes for as long as it lives.
        _keptBytes = bytes;
        openedFrom = 'copy';
        return s;
      } catch {
        // Not a copy this onnxruntime opens: made again below.
      }
    }
  }
  if (!copy) return ort.InferenceSession.create(model, options);
  const tmp = `${copy}.${process.pid}.${crypto().randomBytes(3).toString('hex')}.tmp.ort`;
  let s;
  try {
    mkdirSync(ortCache, { recursive: true });
    s = await ort.InferenceSession.create(model, { ...options, optimizedModelFilePath: tmp });
    renameSync(tmp, copy);
  } catch {
    rmSync(tmp, { force: true });
    s ??= await ort.InferenceSession.create(model, options);
  }
  return s;
}

let session;
let _keptBytes;
/** 'copy' when the session opened from the ORT-format copy (tests). */
let openedFrom = 'model';
const pinned = new Map();

/** The session opened (or not), then the messages: none is read before the session is there. */
async function serve() {
  try {
    session = await open();
    model = undefined;
    // cryptoLoaded (tests): whether this thread had to load node:crypto to get here.
    const cryptoLoaded = process.moduleLoadList.includes('Internal Binding crypto');
    parentPort.postMessage({ type: 'ready', inputNames: session.inputNames, outputNames: session.outputNames, openedFrom, hashedFrom, cryptoLoaded });
  } catch (e) {
    parentPort.postMessage({ type: 'failed', message: String(e?.message ?? e).split('\n')[0] });
  }
  parentPort.on('message', onMessage);
}

async function onMessage(msg) {
  if (msg.type === 'close') {
    // Release the session and let the thread end on its own: terminating a thread while
    // onnxruntime still holds native state can abort the whole process on exit.
    await session?.release?.().catch(() => undefined);
    session = undefined;
    parentPort.close();
    return;
  }
  // Tests only: die the way a bug in this thread would (uncaught exception), between runs.
  if (msg.type === 'crash-for-test') setImmediate(() => { throw new Error('simulated inference worker crash'); });
  // Inputs every call of a render repeats arrive once and are referenced by id (pool.ts).
  if (msg.type === 'pin') pinned.set(msg.pin, new ort.Tensor(msg.tensor.type, msg.tensor.data, msg.tensor.dims));
  if (msg.type === 'unpin') for (const p of msg.pins) pinned.delete(p);
  // A sequence the caller gave up on stops before its next step (see runSteps).
  if (msg.type === 'cancel') {
    if (runningSteps.has(msg.id)) runningSteps.set(msg.id, true);
    return;
  }
  if (msg.type === 'steps' && session) return runSteps(msg);
  if (msg.type !== 'run' || !session) return;
  try {
    const feeds = {};
    for (const [name, t] of Object.entries(msg.feeds)) {
      if (t.pin === undefined) feeds[name] = new ort.Tensor(t.type, t.data, t.dims);
      else if (pinned.has(t.pin)) feeds[name] = pinned.get(t.pin);
      else throw new Error(`input "${name}" was pinned but never reached this worker`);
    }
    const results = await session.run(feeds);
    const out = {};
    const transfer = [];
    for (const [name, t] of Object.entries(results)) {
      out[name] = { type: t.type, dims: [...t.dims], data: t.data };
      if (t.data?.buffer instanceof ArrayBuffer && !transfer.includes(t.data.buffer)) transfer.push(t.data.buffer);
    }
    try {
      parentPort.postMessage({ type: 'result', id: msg.id, out }, transfer);
    } catch {
      parentPort.postMessage({ type: 'result', id: msg.id, out });
    }
  } catch (e) {
    parentPort.postMessage({ type: 'error', id: msg.id, message: String(e?.message ?? e).split('\n')[0] });
  }
}

/** The first `rows` entries along dim 1 of a [d0, b, …] tensor (a recurrent state whose batch shrank). */
function cutBatch(t, rows) {
  const [d0, b] = t.dims;
  const block = t.data.length / (d0 * b);
  const data = new Float32Array(d0 * rows * block);
  for (let l = 0; l < d0; l++) data.set(t.data.subarray(l * b * block, (l * b + rows) * block), l * rows * block);
  return new ort.Tensor(t.type, data, [d0, rows, ...t.dims.slice(2)]);
}

/** Sequences running now, by call id: true once the caller cancelled it. */
const runningSteps = new Map();

// A recurrent model run step after step here, its state carried from one step to the next (see
// ModelSession.runSteps): one message for the whole sequence, not a round trip per step. Between
// two steps this thread reads its messages (each session.run waits for the next turn of the
// event loop), so a 'cancel' for the sequence stops it there: the reply says how many steps ran.
async function runSteps({ id, input, fixed, carry, collect }) {
  runningSteps.set(id, false);
  try {
    const feeds = {};
    for (const [name, t] of Object.entries(fixed)) feeds[name] = new ort.Tensor(t.type, t.data, t.dims);
    let state = new ort.Tensor(carry.initial.type, carry.initial.data, carry.initial.dims);
    // Rows given as sources, or in shared memory (the caller's copy saved), are laid out here a
    // step at a time in one buffer (onnxruntime takes only tensors over an ordinary ArrayBuffer):
    // the whole sequence laid out would be megabytes of fresh memory, which costs more than the
    // copying on this machine (≈ 5–10 ms/MB).
    const { sources } = input;
    const shared = sources !== undefined || input.data.buffer instanceof SharedArrayBuffer;
    const step = shared ? new Float32Array(Math.max(0, ...input.rows) * input.rowSize) : undefined;
    let k = 0;
    const out = new Float32Array(input.rows.reduce((a, b) => a + b, 0));
    let at = 0;
    let pos = 0;
    let steps = 0;
    for (const b of input.rows) {
      if (runningSteps.get(id)) {
        parentPort.postMessage({ type: 'cancelled', id, steps });
        return;
      }
      steps++;
      if (state.dims[1] !== b) state = cutBatch(state, b);
      const n = b * input.rowSize;
      if (sources) for (let i = 0; i < b; i++) step.set(sources.rows[i].subarray(k * sources.hop, k * sources.hop + input.rowSize), i * input.rowSize);
      else if (step) step.set(input.data.subarray(at, at + n));
      feeds[input.name] = new ort.Tensor('float32', step ? step.subarray(0, n) : input.data.subarray(at, at + n), [b, input.rowSize]);
      k++;
      feeds[carry.name] = state;
      const r = await session.run(feeds);
      if (!r[collect] || !r[carry.from]) throw new Error(`model gave ${Object.keys(r).join(', ')}, expected ${collect} and ${carry.from}`);
      out.set(r[collect].data.subarray(0, b), pos);
      state = r[carry.from];
      at += b * input.rowSize;
      pos += b;
    }
    parentPort.postMessage({ type: 'result', id, out: { [collect]: { type: 'float32', dims: [out.length], data: out } } }, [out.buffer]);
  } catch (e) {
    parentPort.postMessage({ type: 'error', id, message: String(e?.message ?? e).split('\n')[0] });
  } finally {
    runningSteps.delete(id);
  }
}

serve();
