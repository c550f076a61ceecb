// The run memo: an `s2v run` that would find every node cached, answered without loading the
// engine — the way `make` says "nothing to do". A run that ends with every node's result in the
// cache leaves, in the cache folder, a memo (src/cli/run-memo.ts writes it) for what the run was
// asked: the arguments after `run`, the working directory, the environment variables that can
// change a run (ENV_NAMES, less credentials: SECRET_NAMES; server addresses without their user
// info and query: memoValue), whether stderr is a terminal (and how
// wide: the progress bar), and the CLI bundle's name, a hash of its code (fresh-bundle.js has
// just checked that no source file it was built from changed). The memo is named by a hash of
// these and holds them, compared exactly. It lists everything the slow path's "all cached"
// verdict read, each to be found exactly as it was:
// - files (graph, inputs, the models folder, the exported videos): path, size, mtime, ctime,
//   inode, device and real path (a graph's file reached through a link out of its folder is E108) — ctime moves on every write and cannot be set back; the writer keeps only
//   files that had settled (see src/cli/run-memo.ts), so an edit inside a timestamp tick is seen;
// - folder listings (models/: a new model folder can change a run);
// - each node's cache entry: its meta.json's size, inode, device and birth time (an entry made
//   again under the same key is a new file, even where the inode number is reused), or its
//   sha256 on file systems that keep no birth time (the printed lines came from its outputs;
//   `s2v cache clear`, eviction or a deleted entry leave none);
// - the folders the videos are written to, still writable (the slow path checks that first).
// A hit touches the entries as a cache read does (LRU), prints what the run printed (the
// `took …` line, or --json's `seconds`, measured anew) and exits 0. On any doubt — no memo, a
// memo of another shape, anything different, --no-cache, --to, --debug, S2V_NO_RUN_MEMO=1,
// S2V_NO_BUNDLE=1 — it returns false and the normal path runs as it always did. The memo is
// data: nothing in it is executed, and the only writes a hit makes are the replayed lines and
// the entries' timestamps inside the cache folder the memo was found in. Node built-ins only,
// and as few as will do (node:crypto only where a file system keeps no birth times): this runs
// before the bundle is loaded, on every `s2v run`.
// node:fs by process.getBuiltinModule, not import: an ES module's view of node:fs reads every one of
// its properties, and its stream getters then load node:stream (≈ 17 modules, ≈ 6 ms of a memo's
// answer, which writes with fs.writeSync and needs no stream).
const fs = process.getBuiltinModule('node:fs');
const path = process.getBuiltinModule('node:path');
import { freshBundle } from './fresh-bundle.js';

/** Bumped when the memo's shape or meaning changes: an older memo is then never found. */
export const MEMO_FORMAT = 3;
/** The memos' folder inside the cache folder (DiskCache.clear() removes it). */
export const MEMO_DIR = 'run-memos';
/**
 * Environment variables that can change what a run does or where it looks: ours, the remote
 * backends', where ffmpeg and the cache and config folders are.
 */
export const ENV_NAMES = /^(?:S2V_\w*|SOGNI_\w*|XDG_\w*|FFMPEG_PATH|FFPROBE_PATH|NW_PATH|PATH|HOME|USERPROFILE|LOCALAPPDATA|APPDATA)$/;
/**
 * Credentials (SOGNI_API_KEY, SOGNI_USERNAME, SOGNI_PASSWORD, S2V_COMFYUI_AUTH_HEADER, …) are left
 * out of the memo altogether: they are used only when a remote model runs, never by a run whose
 * nodes are all cached (a remote model's cache key is its manifest's, src/backends/remote-models.ts).
 */
export const SECRET_NAMES = /KEY|TOKEN|SECRET|PASS|AUTH|CREDENTIAL|USERNAME/i;
/**
 * A run-changing variable's value as the memo keeps it. Server addresses (S2V_COMFYUI_URL — a
 * comma-separated list, as the settings read it —, SOGNI_*_ENDPOINT, and any value with `://`)
 * can carry credentials in user info (user:password@), the query (?token=…) or the fragment: as
 * src/backends/redact.ts's redactUrl() (a test checks they agree), only scheme, host, port and path
 * are kept; a piece that is not a `scheme://` URL is kept as <invalid url>, one whose kept part
 * still has an `@` as <redacted>. That is enough to key on: a fully cached run never contacts a
 * server (a remote model's cache key is its manifest's, src/backends/remote-models.ts), so a new
 * password or token need not be a miss; another server, or an address that no longer parses,
 * still is. Every other value (folders, numbers, names) is kept as it is.
 */
export function memoValue(name, value) {
  if (!/_(?:URL|ENDPOINT)$/.test(name) && !value.includes('://')) return value;
  const pieces = name === 'S2V_COMFYUI_URL' ? value.split(',') : [value];
  return pieces
    .map((piece) => {
      const word = piece.trim();
      if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(word)) return '<invalid url>';
      let shown;
      try {
        const u = new URL(word);
        shown = `${u.protocol}//${u.host}${u.pathname === '/' ? '' : u.pathname.replace(/\/+$/, '')}`;
      } catch {
        return '<invalid url>';
      }
      return shown.includes('@') ? '<redacted>' : shown;
    })
    .join(',');
}
// `s2v run`'s flags that take a value (runCommand's parseArgs spec in src/cli/main.ts).
const VALUE_FLAGS = new Set(['--input', '--set', '--output', '-o', '--to', '--cache-dir']);

/**
 * DiskCache's defaultCacheDir() (src/engine/cache/disk.ts; a test checks they agree), with the
 * home folder taken from the variable os.homedir() reads first; undefined (no memo) when it is
 * not set (os.homedir() would then ask the system: not worth loading node:os for).
 */
export function defaultCacheDir(env = process.env) {
  if (env.S2V_CACHE_DIR) return env.S2V_CACHE_DIR;
  const home = process.platform === 'win32' ? env.USERPROFILE : env.HOME;
  if (process.platform === 'darwin') return home && path.join(home, 'Library', 'Caches', 's2v-studio');
  if (process.platform === 'win32') return (env.LOCALAPPDATA ?? home) && path.join(env.LOCALAPPDATA ?? home, 's2v-studio', 'cache');
  return (env.XDG_CACHE_HOME ?? home) && path.join(env.XDG_CACHE_HOME ?? path.join(home, '.cache'), 's2v-studio');
}

/** A 64-bit hash of a string, as hex: names a memo file (the memo itself holds what it is for). */
function nameOf(text) {
  let a = 0x811c9dc5;
  let b = 0x2545f491;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 13;
  }
  return (a >>> 0).toString(16).padStart(8, '0') + (b >>> 0).toString(16).padStart(8, '0');
}

/**
 * What this `s2v run` is asked (`argv`: the arguments after `run`), as the memo's key and where
 * its memo would be; undefined when a memo must not answer it. `stillCurrent()` says whether the
 * bundle is still the one the key names (asked by the writer, after the run). `currentBundle`:
 * the fresh bundle's path or undefined (load-cli.js's freshBundle; tests pass their own).
 */
export function runMemoRequest(argv, { env = process.env, cwd = process.cwd(), stderr, currentBundle = freshBundle } = {}) {
  if (env.S2V_NO_RUN_MEMO === '1' || env.S2V_NO_BUNDLE === '1') return undefined;
  // main() drops --debug wherever it stands; its output on failure is not a memo's business.
  if (argv.includes('--debug')) return undefined;
  let cacheDir;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') break;
    if (!a.startsWith('-') || a === '-') continue;
    const eq = a.startsWith('--') ? a.indexOf('=') : -1;
    const name = eq > 0 ? a.slice(0, eq) : a;
    if (name === '--no-cache' || name === '--to') return undefined;
    if (!VALUE_FLAGS.has(name)) continue;
    const value = eq > 0 ? a.slice(eq + 1) : argv[++i];
    if (name === '--cache-dir' && value !== undefined) cacheDir = value;
  }
  const bundle = currentBundle();
  const where = cacheDir ?? defaultCacheDir(env);
  if (!bundle || !where) return undefined;
  const dir = path.resolve(cwd, where);
  const err = stderr ?? stderrIfTerminal();
  const tty = err?.isTTY ? err.columns || 0 : false;
  const vars = Object.keys(env).filter((k) => ENV_NAMES.test(k) && !SECRET_NAMES.test(k)).sort().map((k) => [k, /^(?:S2V|SOGNI)_/.test(k) ? memoValue(k, env[k]) : env[k]]);
  const name = bundle.slice(Math.max(bundle.lastIndexOf('/'), bundle.lastIndexOf('\\')) + 1);
  const key = nameOf(JSON.stringify([MEMO_FORMAT, name, argv, cwd, vars, tty]));
  return { key, file: path.join(dir, MEMO_DIR, `${key}.json`), cacheDir: dir, argv, cwd, env: vars, bundle: name, tty, stillCurrent: () => currentBundle() === bundle };
}

/**
 * process.stderr where it may be a terminal (a character device: a terminal, or /dev/null), else
 * undefined: a pipe or a file is no terminal, and asking process.stderr would load Node's streams
 * (and `net` for a pipe) — ≈ 8 ms of a memo's answer, which needs neither (see writeOut).
 */
function stderrIfTerminal() {
  try {
    return fs.fstatSync(2).isCharacterDevice() ? process.stderr : undefined;
  } catch {
    return process.stderr;
  }
}

/**
 * Writes `text` to file descriptor `fd` (1 or 2) whole, synchronously, without Node's stream for it
 * (see stderrIfTerminal). A closed pipe on standard output (`s2v run … | head`) ends the process
 * with 0, any other failure to write it with one line and 1, as bin/s2v.js' stream handler does;
 * a descriptor that would block (made non-blocking by another process) goes through the stream.
 */
export function writeOut(fd, text) {
  let buf = Buffer.from(text);
  try {
    while (buf.length) buf = buf.subarray(fs.writeSync(fd, buf));
  } catch (e) {
    if (e.code === 'EAGAIN') {
      const stream = fd === 1 ? process.stdout : process.stderr;
      if (fd === 1) stream.on('error', stdoutFailed);
      stream.write(buf);
    } else if (fd === 1) stdoutFailed(e);
  }
}

function stdoutFailed(e) {
  if (e.code === 'EPIPE') process.exit(0);
  writeOut(2, `error: cannot write to standard output (${e.code ?? e.message})\n`);
  process.exit(1);
}

const isNum = (v) => typeof v === 'number' && Number.isFinite(v);
const isStr = (v) => typeof v === 'string';
const isList = (v, each) => Array.isArray(v) && v.every(each);
const sameStrings = (a, b) => Array.isArray(a) && a.length === b.length && a.every((x, i) => x === b[i]);
const isIdentity = (f) => Array.isArray(f) && f.length === 7 && isStr(f[0]) && path.isAbsolute(f[0]) && f.slice(1, 6).every(isNum) && isStr(f[6]) && path.isAbsolute(f[6]);
const isAbsence = (f) => Array.isArray(f) && f.length === 1 && isStr(f[0]) && path.isAbsolute(f[0]);

/** The memo for `req` when it has the shape this reader knows, else undefined. */
function readMemo(req) {
  let memo;
  try {
    memo = JSON.parse(fs.readFileSync(req.file, 'utf8'));
  } catch {
    return undefined;
  }
  if (!memo || typeof memo !== 'object' || memo.format !== MEMO_FORMAT || memo.key !== req.key || memo.cacheDir !== req.cacheDir || memo.bundle !== req.bundle) return undefined;
  if (memo.cwd !== req.cwd || memo.tty !== req.tty || !sameStrings(memo.argv, req.argv) || !isList(memo.env, Array.isArray) || !sameStrings(memo.env.flat(), req.env.flat())) return undefined;
  if (!isList(memo.files, (f) => isIdentity(f) || isAbsence(f))) return undefined;
  if (!isList(memo.dirs, (d) => Array.isArray(d) && d.length === 2 && isStr(d[0]) && path.isAbsolute(d[0]) && isList(d[1], isStr))) return undefined;
  const isEntry = (e) => Array.isArray(e) && e.length === 5 && isStr(e[0]) && /^[0-9a-f]{64}$/.test(e[0]) && e.slice(1, 4).every(isNum) && (isNum(e[4]) ? e[4] > 0 : isStr(e[4]));
  if (!isList(memo.entries, isEntry)) return undefined;
  if (!isList(memo.writable, (d) => isStr(d) && path.isAbsolute(d)) || !isStr(memo.stdout) || !isStr(memo.stderr)) return undefined;
  const last = memo.last;
  const lastOk = last && (last.kind === 'text' ? Number.isInteger(last.cached) && last.cached >= 0 : last.kind === 'json' && last.done && typeof last.done === 'object' && !Array.isArray(last.done));
  return lastOk ? memo : undefined;
}

/** Whether every file, folder, entry and output is as the memo found it. */
async function unchanged(memo) {
  for (const f of memo.files) {
    const st = fs.statSync(f[0], { throwIfNoEntry: false });
    if (f.length === 1 ? st !== undefined : !st || !st.isFile() || st.size !== f[1] || st.mtimeMs !== f[2] || st.ctimeMs !== f[3] || st.ino !== f[4] || st.dev !== f[5]) return false;
    // Reached by the same real path: a folder on the way swapped for a link elsewhere (the same
    // files, stats and all) is what the slow path refuses for a graph's files (E108).
    if (f.length === 7 && fs.realpathSync.native(f[0]) !== f[6]) return false;
  }
  for (const [dir, names] of memo.dirs) {
    const now = fs.readdirSync(dir).sort();
    if (now.length !== names.length || now.some((n, i) => n !== names[i])) return false;
  }
  for (const [key, size, ino, dev, made] of memo.entries) {
    const file = path.join(memo.cacheDir, 'entries', key, 'meta.json');
    const st = fs.statSync(file, { throwIfNoEntry: false });
    if (!st || st.size !== size || st.ino !== ino || st.dev !== dev) return false;
    // A birth time, or (a file system that keeps none) the bytes.
    if (typeof made === 'number' ? st.birthtimeMs !== made : (await import('node:crypto')).createHash('sha256').update(fs.readFileSync(file)).digest('hex') !== made) return false;
  }
  for (const dir of memo.writable) fs.accessSync(dir, fs.constants.W_OK);
  return true;
}

/**
 * Answers the run `req` describes from its memo: resolves to true when it did (the lines are
 * printed, the exit code is 0), false when the normal path must run. Never rejects.
 */
export async function replayRun(req, out = { stdout: (s) => writeOut(1, s), stderr: (s) => writeOut(2, s) }) {
  // process.hrtime, not performance.now(): that loads perf_hooks (nine modules) for one number.
  const t0 = process.hrtime.bigint();
  let memo;
  let stdout;
  try {
    memo = readMemo(req);
    if (!memo || !(await unchanged(memo))) return false;
    // A cache read marks the entry used (DiskCache.get): eviction goes by it.
    // Built before anything is touched or printed: a memo whose line cannot be made (a "done"
    // nested past the stack's depth) is a miss like any other.
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    const last = memo.last.kind === 'json' ? `${JSON.stringify({ ...memo.last.done, seconds: Math.round(seconds * 1000) / 1000 })}\n` : `took ${seconds.toFixed(2)} s — ran 0, cached ${memo.last.cached}\n`;
    stdout = memo.stdout + last;
    const now = new Date();
    for (const [key] of memo.entries) fs.utimesSync(path.join(memo.cacheDir, 'entries', key, 'meta.json'), now, now);
  } catch {
    return false;
  }
  if (memo.stderr) out.stderr(memo.stderr);
  out.stdout(stdout);
  return true;
}
