// CPU time and resident memory of another process, read from /proc (Linux). The bench reads
// the bridge from outside so that measuring costs the bridge nothing.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

let ticksPerSecond: number | undefined;

function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    } catch {
      ticksPerSecond = 100; // the Linux default (USER_HZ)
    }
    if (!Number.isFinite(ticksPerSecond) || ticksPerSecond <= 0) ticksPerSecond = 100;
  }
  return ticksPerSecond;
}

/** User + system CPU time consumed so far, in milliseconds (resolution: one clock tick). */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces and parentheses: split after its last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state), so utime (field 14) and stime (field 15) are at 11 and 12.
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1000) / clockTicks();
}

/** Resident memory in MB: VmRSS, and its private anonymous part (RssAnon, not shared with
 * other processes the way the node binary's file pages are). */
export interface MemoryMb {
  rss: number;
  anon: number;
}

/** The process's resident memory now; NaN once the process is gone. */
export function memoryMb(pid: number): MemoryMb {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) => {
      const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
      return m ? Number(m[1]) / 1024 : Number.NaN;
    };
    return { rss: kb('VmRSS'), anon: kb('RssAnon') };
  } catch {
    return { rss: Number.NaN, anon: Number.NaN };
  }
}

/** Open file descriptors of a process (entries of /proc/PID/fd). */
export function fdCount(pid: number): number {
  return readdirSync(`/proc/${pid}/fd`).length;
}

/** Samples a process's memory every `everyMs` until stopped; reports the sample of peak RSS. */
export function sampleRss(pid: number, everyMs = 20): { stop(): MemoryMb } {
  let peak = { rss: Number.NaN, anon: Number.NaN };
  const take = () => {
    const m = memoryMb(pid);
    // NaN: the process is gone; keep what was seen.
    if (!Number.isNaN(m.rss) && !(m.rss <= peak.rss)) peak = m;
  };
  take();
  const timer = setInterval(take, everyMs);
  return {
    stop() {
      clearInterval(timer);
      take();
      return peak;
    },
  };
}
