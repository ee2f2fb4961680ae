// Renders a run as Markdown: the side-by-side table with the goals judged, then the notes a
// reader needs to trust (or distrust) the numbers.
import type { GoalResult, Verdict } from './goals';
import type { Row } from './rows';
import { TARGET_LABELS, TARGET_NAMES } from './targets';

function verdictText(v: Verdict): string {
  if (v.met === undefined) return v.shown;
  return `${v.met ? 'met' : 'MISSED'} (${v.shown})`;
}

export function renderTable(rows: Row[], goals: GoalResult[]): string {
  const head = ['figure', ...TARGET_NAMES.map((t) => TARGET_LABELS[t]), 'target', 'met/missed'];
  const lines = [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`];
  for (const row of rows) {
    const goal = goals.find((g) => g.row === row.id);
    const cells = TARGET_NAMES.map((t) => row.cells[t] ?? '—');
    const judged = goal
      ? [
          goal.target,
          `compat: ${verdictText(goal.verdicts.compat)}; native: ${verdictText(goal.verdicts.native)}`,
        ]
      : ['', ''];
    lines.push(`| ${[row.label, ...cells, ...judged].join(' | ')} |`);
  }
  return lines.join('\n');
}

export interface ReportContext {
  title: string;
  table: string;
  ratios: string[];
  notes: string[];
}

export function renderMarkdown(r: ReportContext): string {
  return [
    `# ${r.title}`,
    '',
    r.table,
    '',
    '## Ratios',
    '',
    ...r.ratios.map((l) => `- ${l}`),
    '',
    '## Notes',
    '',
    ...r.notes.map((l) => `- ${l}`),
    '',
  ].join('\n');
}
