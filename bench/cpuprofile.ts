// Summarises a V8 .cpuprofile (node --cpu-prof) of an unminified bundle: self time per function,
// inclusive time for the project's own functions, and self time per source module. The bundle
// is one file, so each frame's line is mapped back to its module through the `// path` comment
// esbuild writes at the start of every module.

export interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}

export interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

export interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface Entry {
  fn: string;
  module: string;
  ms: number;
  /** Share of the busy (non-idle) time. */
  pct: number;
}

export interface Summary {
  sampledMs: number;
  idleMs: number;
  busyMs: number;
  gcMs: number;
  topSelf: Entry[];
  /** Inclusive time of functions in the project's own modules (bridge/...). */
  topOwnTotal: Entry[];
  byModule: Entry[];
}

const MODULE_COMMENT = /^\/\/ ((?:node_modules|bridge|bench)\/\S+\.(?:ts|js|mjs|cjs))$/;

/** Maps a 1-based line of the bundle to the source module it came from. */
export function moduleIndex(bundle: string): (line: number) => string {
  const starts: { line: number; module: string }[] = [];
  bundle.split('\n').forEach((text, i) => {
    const m = MODULE_COMMENT.exec(text);
    if (m) starts.push({ line: i + 1, module: m[1]! });
  });
  return (line) => {
    let lo = 0;
    let hi = starts.length - 1;
    let found = '(bundle prelude)';
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (starts[mid]!.line <= line) {
        found = starts[mid]!.module;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  };
}

function where(frame: CallFrame, bundleName: string, moduleOf: (line: number) => string): string {
  if (frame.url.endsWith(bundleName)) return moduleOf(frame.lineNumber + 1);
  if (frame.url === '') return '(native)';
  return frame.url.replace(/^file:\/\//, '');
}

export function summarize(
  profile: CpuProfile,
  bundleName: string,
  moduleOf: (line: number) => string,
  top = 25,
): Summary {
  const byId = new Map<number, ProfileNode>();
  const parent = new Map<number, number>();
  for (const n of profile.nodes) {
    byId.set(n.id, n);
    for (const c of n.children ?? []) parent.set(c, n.id);
  }
  const keyOf = new Map<number, { key: string; fn: string; module: string }>();
  for (const n of profile.nodes) {
    const module = where(n.callFrame, bundleName, moduleOf);
    const fn = n.callFrame.functionName || '(anonymous)';
    keyOf.set(n.id, { key: `${fn}\u0000${module}\u0000${n.callFrame.lineNumber}`, fn, module });
  }
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  const modules = new Map<string, number>();
  let sampledMs = 0;
  let idleMs = 0;
  let gcMs = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const ms = (profile.timeDeltas[i] ?? 0) / 1000;
    if (ms <= 0) continue;
    sampledMs += ms;
    const id = profile.samples[i]!;
    const k = keyOf.get(id)!;
    if (k.fn === '(idle)') {
      idleMs += ms;
      continue;
    }
    if (k.fn === '(garbage collector)') gcMs += ms;
    self.set(k.key, (self.get(k.key) ?? 0) + ms);
    modules.set(k.module, (modules.get(k.module) ?? 0) + ms);
    // Inclusive time: each function once per sample, however deep the recursion.
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const a = keyOf.get(at)!;
      if (seen.has(a.key)) continue;
      seen.add(a.key);
      total.set(a.key, (total.get(a.key) ?? 0) + ms);
    }
  }
  const busyMs = sampledMs - idleMs;
  const entries = (m: Map<string, number>, filter: (module: string) => boolean = () => true) =>
    [...m.entries()]
      .map(([key, ms]) => {
        const [fn, module] = key.split('\u0000') as [string, string];
        return { fn, module, ms, pct: busyMs > 0 ? (ms / busyMs) * 100 : 0 };
      })
      .filter((e) => filter(e.module))
      .sort((a, b) => b.ms - a.ms)
      .slice(0, top);
  return {
    sampledMs,
    idleMs,
    busyMs,
    gcMs,
    topSelf: entries(self),
    topOwnTotal: entries(total, (module) => module.startsWith('bridge/')),
    byModule: [...modules.entries()]
      .map(([module, ms]) => ({ fn: '', module, ms, pct: busyMs > 0 ? (ms / busyMs) * 100 : 0 }))
      .sort((a, b) => b.ms - a.ms)
      .slice(0, 15),
  };
}

export function renderSummary(title: string, s: Summary): string {
  const table = (rows: Entry[], withFn: boolean) => [
    withFn ? '| ms | % busy | function | module |' : '| ms | % busy | module |',
    withFn ? '| ---: | ---: | --- | --- |' : '| ---: | ---: | --- |',
    ...rows.map((e) =>
      withFn
        ? `| ${e.ms.toFixed(1)} | ${e.pct.toFixed(1)} | \`${e.fn}\` | ${e.module} |`
        : `| ${e.ms.toFixed(1)} | ${e.pct.toFixed(1)} | ${e.module} |`,
    ),
  ];
  return [
    `### ${title}`,
    '',
    `Sampled ${s.sampledMs.toFixed(0)} ms: busy ${s.busyMs.toFixed(0)} ms, idle ` +
      `${s.idleMs.toFixed(0)} ms, garbage collector ${s.gcMs.toFixed(0)} ms ` +
      `(${s.busyMs > 0 ? ((s.gcMs / s.busyMs) * 100).toFixed(1) : '0'}% of busy).`,
    '',
    'Top self time:',
    '',
    ...table(s.topSelf, true),
    '',
    'Inclusive time of the bridge’s own functions:',
    '',
    ...table(s.topOwnTotal.slice(0, 15), true),
    '',
    'Self time by module:',
    '',
    ...table(s.byModule, false),
    '',
  ].join('\n');
}
