/** The sortable case table: id, split, group, vendor, frame and each rater's Dice; a click opens the case. */
import type { CaseDice, CaseJson } from '../viewer-api.ts';

type Cell = string | number | null;

interface Column {
  title: string;
  value: (c: CaseJson, dice: CaseDice | undefined) => Cell;
  numeric?: boolean;
}

export interface CaseTableOptions {
  table: HTMLTableElement;
  cases: CaseJson[];
  raters: string[];
  onOpen: (index: number) => void;
}

/** Renders and re-sorts the case table in place. */
export class CaseTable {
  private readonly columns: Column[];
  private dice = new Map<number, CaseDice>();
  private sortColumn = -1;
  private descending = false;
  private current = -1;

  constructor(private readonly options: CaseTableOptions) {
    this.columns = [
      { title: 'case', value: (c) => c.id },
      { title: 'split', value: (c) => c.split },
      { title: 'group', value: (c) => c.group },
      { title: 'vendor', value: (c) => c.vendor },
      { title: 'frame', value: (c) => c.frame },
      ...options.raters.map((r): Column => ({ title: r, value: (_, d) => d?.dice[r] ?? null, numeric: true })),
    ];
    const head = options.table.tHead!.insertRow();
    this.columns.forEach((col, i) => {
      const th = document.createElement('th');
      th.textContent = col.title;
      th.title = col.numeric
        ? `Dice of ${col.title} (mean over labels) against the truth, or the raters' majority vote without truth`
        : '';
      th.addEventListener('click', () => this.sortBy(i));
      head.appendChild(th);
    });
    this.render();
  }

  /** Fills in the Dice columns. */
  setDice(rows: CaseDice[]): void {
    this.dice = new Map(rows.map((r) => [r.index, r]));
    this.render();
  }

  /** Sorts by column `i`, flipping the direction when it already is the sort column. */
  sortBy(i: number): void {
    this.descending = this.sortColumn === i ? !this.descending : false;
    this.sortColumn = i;
    this.render();
  }

  /** Highlights the open case. */
  setCurrent(index: number): void {
    this.current = index;
    for (const tr of this.options.table.tBodies[0].rows)
      tr.classList.toggle('current', Number(tr.dataset.index) === index);
  }

  /** Case indices in the order shown (for n / p). */
  order(): number[] {
    return [...this.options.table.tBodies[0].rows].map((tr) => Number(tr.dataset.index));
  }

  private render(): void {
    const { table, cases, onOpen } = this.options;
    const rows = cases.map((c) => ({ c, cells: this.columns.map((col) => col.value(c, this.dice.get(c.index))) }));
    if (this.sortColumn >= 0) {
      const k = this.sortColumn;
      const sign = this.descending ? -1 : 1;
      rows.sort((a, b) => compareCells(a.cells[k], b.cells[k], sign));
    }
    [...table.tHead!.rows[0].cells].forEach((th, i) => {
      if (i === this.sortColumn) th.dataset.dir = this.descending ? 'desc' : 'asc';
      else delete th.dataset.dir;
    });
    const body = table.tBodies[0];
    body.replaceChildren();
    for (const { c, cells } of rows) {
      const tr = body.insertRow();
      tr.dataset.index = String(c.index);
      tr.classList.toggle('current', c.index === this.current);
      cells.forEach((cell, i) => {
        const td = tr.insertCell();
        if (this.columns[i].numeric) {
          td.className = 'num';
          td.textContent = typeof cell === 'number' ? cell.toFixed(3) : this.dice.size ? '–' : '…';
        } else td.textContent = cell === null ? '' : String(cell);
      });
      tr.addEventListener('click', () => onOpen(c.index));
    }
  }
}

/** Ascending (sign 1) or descending (−1) order; empty cells always last; numbers numerically, text naturally. */
function compareCells(a: Cell, b: Cell, sign: number): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
  if (typeof a === 'number' && typeof b === 'number') return sign * (a - b);
  return sign * String(a).localeCompare(String(b), undefined, { numeric: true });
}
