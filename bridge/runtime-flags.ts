// V8 flags the bridge runs with, applied by the bridge itself: users start it as
// `node dist/bridge.js` (or `npm start`, or through the extension) and never type flags.
//   --max-semi-space-size=4  a small young generation: V8 otherwise grows it to 16 MB per
//                            semi-space under load and keeps it committed afterwards.
//   --liftoff-only           WebAssembly (only undici's HTTP/1.1 parser, llhttp) stays with V8's
//                            baseline compiler. Optimising it on a background thread left about
//                            10 MB of that compiler's freed scratch memory in the process for
//                            good, after the first few hundred responses (idle RSS 77 -> 65 MB
//                            in native mode; no CPU difference measurable: the parser is a few
//                            per cent of a request's CPU). README, "Memory".
//   --heap-growing-percent=20  the old generation may grow by 20 % (at least V8's own 8 MB step)
//                            of what survived the last full collection before the next one,
//                            instead of V8's own factor of up to 4x. With 1,000 open streams the
//                            heap otherwise grew on promoted per-stream garbage: peak RSS
//                            128-145 -> 117-125 MB; garbage-collection pauses over the run and
//                            CPU per request unchanged within noise (bench/streams-probe.ts,
//                            bench/throughput-probe.ts). 5, 10 and 20 measured the same: at
//                            these heap sizes V8's minimum step decides.
//   --expose-gc              the global gc() that the start-up rehearsal and the idle collection
//                            (idle-gc.ts) call. Without it they took gc() from a second V8
//                            context made for the call, and one such context, even let go at
//                            once, slowed every later request for the life of the process:
//                            compat CPU per request 0.393 vs 0.220 ms, throughput at c=64 52 %
//                            vs 85 % of a bare proxy's (bench/throughput-probe.ts, 12
//                            interleaved rounds; the build of 2026-11-29 given one such
//                            collection at start: 0.216 -> 0.295 ms). Idle RSS 15 s after start
//                            is about 2 MB higher than with the context, the same from ~110 s on.
// (--optimize-for-size lowered the burst's peak further, 123 -> 82 MB, but cost 2.4x the CPU
// per request: not among these; the bridge sets it only while quiet, favour-memory.ts.)
// Measured with `npm run bench` (README, "Memory"). The extension passes the same flags (it
// imports this list), so it starts without a re-execution. V8 reads the heap flag when it
// creates the heap, so setting them from JavaScript (v8.setFlagsFromString) is too late
// (measured: no effect). The
// bridge therefore replaces itself, before doing anything else, with the same program plus
// the flags (process.execve: same pid, same stdin/stdout/stderr, same environment, so the
// key stays in the environment and never reaches a command line; signals, the stdin
// lifeline and the exit code are the new image's). Where execve is missing (Windows, older
// runtimes), or a debugger is attached (--inspect: the new image would lose it), the bridge runs
// without them.
export const RUNTIME_FLAGS: readonly string[] = [
  '--max-semi-space-size=4',
  '--liftoff-only',
  '--heap-growing-percent=20',
  '--expose-gc',
];

// Environment the bridge runs with, applied the same way (Linux only: it is for glibc's malloc;
// a value the user set is kept):
//   MALLOC_ARENA_MAX=1       one malloc arena for the process instead of one per thread that
//                            allocates (up to 8 per core). V8's garbage-collection helper threads
//                            and libuv's pool then keep no arenas of their own, whose pages
//                            stayed with them after a load. 1,000 open streams
//                            (bench/streams-probe.ts, three runs each, native / compat): peak
//                            RSS 113.2-116.7 / 120.4-123.7 MB against 120.0-122.5 / 124.3-127.7,
//                            private memory right after 44-47 / 49-51 MB against 53-56 / 57-60.
//                            CPU per request unchanged (bench/throughput-probe.ts, 8 rounds:
//                            compat 0.207 vs 0.205 ms, native 0.404 vs 0.402).
//   MALLOC_MMAP_THRESHOLD_=8192  blocks of 8 KB and more get pages of their own (mmap), given
//                            back to the system when freed, instead of a place in glibc's main
//                            heap, which returns only its top. V8's compilers take their working
//                            memory in 8-32 KB blocks while they optimise hot code under load;
//                            freed in between longer-lived allocations, they left the main heap
//                            at 11-26 MB for good after a load (4-5 MB idle). 1,000 open
//                            streams, then 60 s idle (bench/streams-probe.ts, native / compat):
//                            peak RSS 118.5 / 115.4 MB against 123.7 / 122.2, after 79.7 / 79.1
//                            against 85.0 / 81.5, main heap 13.2 / 11.3 against 21.5 / 18.2 MB.
//                            CPU per request unchanged (bench/throughput-probe.ts, four runs of
//                            8-12 rounds: compat 0.104-0.114 vs 0.103-0.110 ms). Setting it
//                            also stops glibc from raising the threshold by itself.
export const RUNTIME_ENV: Readonly<Record<string, string>> = {
  MALLOC_ARENA_MAX: '1',
  MALLOC_MMAP_THRESHOLD_: '8192',
};

/** The entries of RUNTIME_ENV that `env` does not set (none off Linux). */
export function missingEnv(
  env: NodeJS.ProcessEnv,
  platform: NodeJS.Platform | undefined,
): Record<string, string> {
  if (platform !== 'linux') return {};
  return Object.fromEntries(Object.entries(RUNTIME_ENV).filter(([k]) => env[k] === undefined));
}

/** Set in the re-executed process's environment: never re-execute twice. */
export const FLAGS_APPLIED_ENV = 'CUSTOMGPT_BRIDGE_FLAGS_APPLIED';

type Execve = (file: string, args: string[], env: NodeJS.ProcessEnv) => never;

/** The flags of RUNTIME_FLAGS that `execArgv` does not set already (by name; `--no-x` sets x). */
export function missingFlags(execArgv: readonly string[]): string[] {
  const name = (f: string) =>
    f
      .split('=')[0]!
      .replace(/_/g, '-')
      .replace(/^--no-/, '--');
  const set = new Set(execArgv.map(name));
  return RUNTIME_FLAGS.filter((f) => !set.has(name(f)));
}

/**
 * Re-executes this process with the missing flags and environment; returns when there is
 * nothing to do.
 */
export function applyRuntimeFlags(proc: NodeJS.Process = process): void {
  if (proc.env[FLAGS_APPLIED_ENV] === '1') return;
  // A debugger attached to this process (--inspect, --inspect-brk, ...) would lose it: run as is.
  if (proc.execArgv.some((a) => a.startsWith('--inspect'))) return;
  const missing = missingFlags(proc.execArgv);
  const env = missingEnv(proc.env, proc.platform);
  const execve = (proc as { execve?: Execve }).execve;
  if ((missing.length === 0 && Object.keys(env).length === 0) || typeof execve !== 'function') {
    return;
  }
  try {
    execve.call(
      proc,
      proc.execPath,
      [proc.execPath, ...proc.execArgv, ...missing, ...proc.argv.slice(1)],
      { ...env, ...proc.env, [FLAGS_APPLIED_ENV]: '1' },
    );
  } catch {
    // Not replaced (e.g. refused by the platform): run as is, without the flags.
  }
}
