/** `report.md` of a study report: its facts, notes, every table with footnotes, links to the figures' SVG files. */
import { formatNumber } from './format-cell.ts';
import type { ReportProvenance, StudyReport } from './report-types.ts';
import { tableToMarkdown } from './table-to-markdown.ts';

/** One line naming the study, preset, package version, seeds (and the date when the report carries one). */
export function reportFacts(report: StudyReport): string {
  const seeds = report.seeds.length === 0 ? 'none' : report.seeds.join(', ');
  const when = report.generatedAt ? `, made ${report.generatedAt}` : '';
  return `Study ${report.study}, preset ${report.preset}, multirater ${report.packageVersion}, seeds ${seeds}${when}.`;
}

/** Wall time per job kind, seconds (sorted by kind), with the total last. */
export function wallTimeRows(report: Pick<StudyReport, 'wallSecondsByKind'>): [string, string][] {
  const kinds = Object.keys(report.wallSecondsByKind).sort();
  const total = kinds.reduce((sum, k) => sum + report.wallSecondsByKind[k], 0);
  return [
    ...kinds.map((k): [string, string] => [k, formatNumber(report.wallSecondsByKind[k], 1)]),
    ['total', formatNumber(total, 1)],
  ];
}

/**
 * One sentence of where and how a result was measured: the command, commit, date, machine, workers × threads, and
 * (for a study) the job time per kind: `` `multirater study run …` on commit ceac9c8, 2026-12-02 12:00 UTC, 2 cores
 * (CPU), 7.8 GiB, linux-x64, Node v20.19.0; 1 worker × 2 threads; job time 64.8 s (evaluate 3.5, train 61.3). ``
 */
export function provenanceLine(provenance: ReportProvenance, wall?: Pick<StudyReport, 'wallSecondsByKind'>): string {
  const { commit, machine: m, workers, threads } = provenance;
  const at =
    commit === null
      ? 'outside a git checkout'
      : `on commit ${commit.sha.slice(0, 7)}${commit.dirty ? ' (tracked files changed)' : ''}`;
  const date = /^\d{4}-\d\d-\d\dT\d\d:\d\d/.test(provenance.date)
    ? `${provenance.date.slice(0, 10)} ${provenance.date.slice(11, 16)} UTC`
    : provenance.date;
  const parts = [
    `${provenance.command === null ? 'Measured' : `\`${provenance.command}\``} ${at}, ${date}, ${m.cores} cores (${m.cpuModel}), ${m.memoryGiB} GiB, ${m.platform}, Node ${m.node}`,
  ];
  if (workers !== null || threads !== null) {
    const w = workers === null ? 'queue workers' : `${workers} worker${workers === 1 ? '' : 's'}`;
    parts.push(`${w} × ${threads === null ? "ONNX Runtime's default" : threads} thread${threads === 1 ? '' : 's'}`);
  }
  if (provenance.wallSeconds !== undefined) {
    const s = Math.round(provenance.wallSeconds);
    parts.push(`wall ${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`);
  }
  if (wall !== undefined) {
    const rows = wallTimeRows(wall);
    const [, total] = rows.pop()!;
    parts.push(`job time ${total} s${rows.length ? ` (${rows.map(([k, s]) => `${k} ${s}`).join(', ')})` : ''}`);
  }
  return parts.join('; ') + '.';
}

/** The settings as pretty JSON (keys in the order given). */
export function settingsJson(report: StudyReport): string {
  return JSON.stringify(report.settings, null, 2);
}

/** The whole report as Markdown; figures are linked as `figures/<id>.svg` relative to the report's folder. */
export function reportToMarkdown(report: StudyReport): string {
  const parts = [`# ${report.title}`, reportFacts(report), ...(report.notes ?? [])];
  if (report.tables.length > 0) parts.push('## Tables');
  for (const table of report.tables) parts.push(`### ${table.title}`, tableToMarkdown(table).trimEnd());
  if (report.figures.length > 0) parts.push('## Figures');
  for (const figure of report.figures) {
    parts.push(
      `### ${figure.title}`,
      `![${figure.title}](figures/${figure.id}.svg)`,
      ...(figure.caption ? [figure.caption] : []),
    );
  }
  parts.push('## Settings', '```json\n' + settingsJson(report) + '\n```');
  parts.push(
    '## Wall time per job kind',
    ['| job kind | wall time (s) |', '| --- | ---: |', ...wallTimeRows(report).map(([k, s]) => `| ${k} | ${s} |`)].join(
      '\n',
    ),
  );
  return parts.join('\n\n') + '\n';
}
