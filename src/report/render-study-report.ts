/**
 * Writes a study report into a folder: `tables/<id>.md|.csv|.json` per table, `figures/<id>.svg` per figure,
 * `report.md`, `report.json` and the self-contained `report.html`. Every file is written atomically (temporary
 * file, then rename), and the bytes depend only on the report (no clock, no machine).
 */
import { join } from 'node:path';
import { MultiraterError } from '../errors.ts';
import { writeFileAtomic } from '../io/index.ts';
import { renderFigureSvg } from './render-figure.ts';
import { reportToHtml } from './report-html.ts';
import { reportToMarkdown } from './report-markdown.ts';
import type { StudyReport } from './report-types.ts';
import { tableToCsv } from './table-to-csv.ts';
import { tableToMarkdown } from './table-to-markdown.ts';

/** Version of the JSON files' shape (`report.json`, `tables/<id>.json`). */
export const REPORT_SCHEMA_VERSION = 1;

/** Options of {@link renderStudyReport}. */
export interface RenderStudyReportOptions {
  /** Path of the HTML page; default `<dir>/report.html`. */
  html?: string;
}

/** What {@link renderStudyReport} wrote. */
export interface RenderedStudyReport {
  /** Every written file, in writing order (`report.html` last). */
  files: string[];
}

const SAFE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

function checkIds(report: StudyReport): void {
  for (const [what, items] of [
    ['table', report.tables],
    ['figure', report.figures],
  ] as const) {
    const seen = new Set<string>();
    for (const { id } of items) {
      if (!SAFE_ID.test(id))
        throw new MultiraterError(
          'invalid_argument',
          `report "${report.study}": ${what} id "${id}" is not a safe file name (letters, digits, . _ -)`,
        );
      if (seen.has(id))
        throw new MultiraterError('invalid_argument', `report "${report.study}": two ${what}s have the id "${id}"`);
      seen.add(id);
    }
  }
}

const json = (value: object): string =>
  JSON.stringify({ schemaVersion: REPORT_SCHEMA_VERSION, ...value }, null, 2) + '\n';

/** Renders `report` into `dir` (created when missing); see the file comment. */
export async function renderStudyReport(
  report: StudyReport,
  dir: string,
  options: RenderStudyReportOptions = {},
): Promise<RenderedStudyReport> {
  checkIds(report);
  const svgs: Record<string, string> = {};
  for (const figure of report.figures) svgs[figure.id] = await renderFigureSvg(figure.spec, { idPrefix: figure.id });
  const files: string[] = [];
  const write = (path: string, text: string): void => {
    writeFileAtomic(path, text);
    files.push(path);
  };
  for (const table of report.tables) {
    write(join(dir, 'tables', `${table.id}.md`), `# ${table.title}\n\n${tableToMarkdown(table)}`);
    write(join(dir, 'tables', `${table.id}.csv`), tableToCsv(table));
    write(join(dir, 'tables', `${table.id}.json`), json(table));
  }
  for (const figure of report.figures) write(join(dir, 'figures', `${figure.id}.svg`), svgs[figure.id] + '\n');
  write(join(dir, 'report.md'), reportToMarkdown(report));
  write(join(dir, 'report.json'), json(report));
  write(options.html ?? join(dir, 'report.html'), reportToHtml(report, svgs));
  return { files };
}
