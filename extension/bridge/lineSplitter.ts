// Child-process pipes deliver arbitrary chunks; the bridge speaks in lines (ready line on stdout,
// one JSON log record per stderr line). This turns chunks into whole lines.

/** Longest partial line kept while waiting for its newline; protects memory from a runaway line. */
const MAX_PENDING = 1024 * 1024;

export class LineSplitter {
  private pending = '';

  /** Feeds a chunk; returns the complete lines it finished (without line endings). */
  push(chunk: string): string[] {
    this.pending += chunk;
    const parts = this.pending.split(/\r?\n/);
    this.pending = parts.pop() ?? '';
    if (this.pending.length > MAX_PENDING) {
      parts.push(this.pending);
      this.pending = '';
    }
    return parts;
  }

  /** Returns what is left when the stream ends (a last line without newline). */
  flush(): string[] {
    const rest = this.pending;
    this.pending = '';
    return rest ? [rest] : [];
  }
}
