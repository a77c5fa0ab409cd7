/** The annotator-CM model's image-level confusion matrices as small heat maps (rows: says i, columns: truth j). */
import type { ModelJson } from '../viewer-api.ts';

/** Fills `box` with one table per annotator; cell shade = P(says i | truth j). */
export function renderCmHeatmaps(box: HTMLElement, model: ModelJson): void {
  box.replaceChildren();
  for (const rater of model.raters) {
    const m = model.matrices[rater];
    if (m === undefined) continue;
    const table = document.createElement('table');
    table.className = 'cm';
    table.dataset.rater = rater;
    table.createCaption().textContent = rater;
    m.forEach((row, i) => {
      const tr = table.insertRow();
      row.forEach((p, j) => {
        const td = tr.insertCell();
        td.style.background = shade(p);
        td.textContent = p >= 0.995 ? '1' : p.toFixed(2).slice(1);
        td.title = `P(${rater} says ${model.labels[i]} | truth ${model.labels[j]}) = ${p.toFixed(4)}`;
      });
    });
    box.appendChild(table);
  }
}

/** White (0) to blue (1); the digits stay black and readable on every shade. */
function shade(p: number): string {
  const t = Math.max(0, Math.min(1, p));
  return `rgb(${Math.round(255 - 200 * t)},${Math.round(255 - 150 * t)},255)`;
}
