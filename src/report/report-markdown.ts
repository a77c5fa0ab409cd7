/** `report.md` of a study report: its facts, notes, every table with footnotes, links to the figures' SVG files. */
import { formatNumber } from './format-cell.ts';
import type { StudyReport } from './report-types.ts';
import { tableToMarkdown } from './table-to-markdown.ts';

/** One line naming the study, preset, package version, seeds (and the date when the report carries one). */
export function reportFacts(report: StudyReport): string {
  const seeds = report.seeds.length === 0 ? 'none' : report.seeds.join(', ');
  const when = report.generatedAt ? `, made ${report.generatedAt}` : '';
  return `Study ${report.study}, preset ${report.preset}, multirater ${report.packageVersion}, seeds ${seeds}${when}.`;
}

/** Wall time per job kind, seconds (sorted by kind), with the total last. */
export function wallTimeRows(report: StudyReport): [string, string][] {
  const kinds = Object.keys(report.wallSecondsByKind).sort();
  const total = kinds.reduce((sum, k) => sum + report.wallSecondsByKind[k], 0);
  return [
    ...kinds.map((k): [string, string] => [k, formatNumber(report.wallSecondsByKind[k], 1)]),
    ['total', formatNumber(total, 1)],
  ];
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
