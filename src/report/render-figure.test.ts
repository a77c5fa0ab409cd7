import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { SAMPLE_REPORT } from '../../test/study-report-sample.ts';
import { renderFigureSvg, renumberIds } from './render-figure.ts';

const spec = (id: string): Record<string, unknown> => SAMPLE_REPORT.figures.find((f) => f.id === id)!.spec;
const count = (svg: string, role: string): number => svg.split(`aria-roledescription="${role}"`).length - 1;

function expectSvg(svg: string): void {
  expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
  expect(svg.endsWith('</svg>')).toBe(true);
  expect(Number(/width="(\d+)"/.exec(svg)![1])).toBeGreaterThan(100);
}

describe('renderFigureSvg', () => {
  it('draws one box per disease group and rater, with the axis titles, without node-canvas', async () => {
    // Vega measures text with node-canvas when it is installed; we ship without it, so widths are estimated.
    expect(() => createRequire(import.meta.url).resolve('canvas')).toThrow();
    const svg = await renderFigureSvg(spec('dice-box'));
    expectSvg(svg);
    expect(count(svg, 'box')).toBe(6);
    expect(svg).toContain('>disease group</text>');
    expect(svg).toContain('>Dice</text>');
  });

  it('draws mean ± sample sd per group and rater', async () => {
    const svg = await renderFigureSvg(spec('dice-error'));
    expectSvg(svg);
    expect(count(svg, 'point')).toBe(6);
    expect(count(svg, 'rule mark')).toBe(6);
    // NOR, expert: 0.95, 0.96, 0.97, 0.98 → mean 0.965, sample sd √(0.0005/3) = 0.0129099 → low 0.9520901.
    expect(svg).toContain('aria-label="group: NOR; Dice: 0.965; rater: expert"');
    expect(svg).toMatch(/aria-label="group: NOR; Dice: 0\.95209\d*; rater: expert"/);
  });

  it('draws one line, one band and three points per series, the unit in the y title', async () => {
    const svg = await renderFigureSvg(spec('hd-by-slice'));
    expectSvg(svg);
    expect(count(svg, 'line mark')).toBe(2);
    expect(count(svg, 'area mark')).toBe(2);
    expect(count(svg, 'point')).toBe(6);
    expect(svg).toContain('>HD (mm)</text>');
  });

  it('gives the same bytes for the same spec, whatever was rendered before (clip ids renumbered)', async () => {
    // A clipped mark makes Vega emit a clip path numbered from a process-wide counter.
    const clipped = {
      data: {
        values: [
          { x: 1, y: 1 },
          { x: 2, y: 3 },
        ],
      },
      mark: { type: 'line', clip: true },
      encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' } },
    };
    const first = await renderFigureSvg(clipped, { idPrefix: 'c' });
    await renderFigureSvg(clipped);
    expect(await renderFigureSvg(clipped, { idPrefix: 'c' })).toBe(first);
    expect(first).toContain('id="c-1"');
    expect(first).toContain('url(#c-1)');
  });

  it('names the figure when Vega-Lite cannot render the spec', async () => {
    await expect(renderFigureSvg({ mark: 'nonsense' }, { idPrefix: 'bad' })).rejects.toThrow(
      /figure "bad": Vega-Lite spec cannot be rendered/,
    );
    await expect(renderFigureSvg({ encoding: {} }, { idPrefix: 'empty' })).rejects.toThrow(
      'figure "empty": the Vega-Lite spec has no mark, layer, facet, repeat, concat, hconcat, vconcat',
    );
  });

  it('refuses data to be loaded from a URL (figures depend on their spec alone)', async () => {
    const spec = {
      data: { url: 'http://example.com/dice.json' },
      mark: 'point',
      encoding: { x: { field: 'dice', type: 'quantitative' } },
    };
    await expect(renderFigureSvg(spec, { idPrefix: 'remote' })).rejects.toThrow(
      'figure "remote": Vega-Lite spec cannot be rendered (data must be inline (data.values), the spec asks to load "http://example.com/dice.json")',
    );
  });
});

describe('renumberIds', () => {
  it('renames ids and their references in order of definition', () => {
    expect(renumberIds('<a id="clip7"/><b clip-path="url(#clip7)"/><c id="g2"/><use href="#g2"/>', 'f')).toBe(
      '<a id="f-1"/><b clip-path="url(#f-1)"/><c id="f-2"/><use href="#f-2"/>',
    );
  });
});
