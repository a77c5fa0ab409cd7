/**
 * The overlay list: per layer a checkbox (hot key 1–9 for the first nine), its name and an opacity slider; and the
 * label legend. Layers are niivue volumes; hiding one sets its opacity to 0.
 */
import type { LayerJson } from '../viewer-api.ts';
import { labelCss } from './label-colors.ts';
import type { NVImage } from './niivue-types.ts';

/** A layer on screen: its niivue volume once loaded, and whether it is shown. */
export interface LayerState {
  layer: LayerJson;
  volume: NVImage | null;
  visible: boolean;
  /** True while its volume is being fetched (first shown). */
  loading: boolean;
  opacity: number;
  checkbox: HTMLInputElement;
}

export interface LayerPanelOptions {
  list: HTMLUListElement;
  /** Called after a layer's visibility or opacity changed. */
  onChange: (state: LayerState) => void;
}

/** Default opacity per layer kind (label maps see-through over the image). */
export function defaultOpacity(layer: LayerJson): number {
  return layer.kind === 'disagreement' || layer.kind === 'staple' || layer.kind === 'cm-diagonal' ? 0.7 : 0.5;
}

/** Builds the list for `layers` (the overlays, not the background); returns their states in list order. */
export function renderLayerPanel(
  layers: LayerJson[],
  shown: (layer: LayerJson) => boolean,
  options: LayerPanelOptions,
): LayerState[] {
  options.list.replaceChildren();
  return layers.map((layer, i) => {
    const li = document.createElement('li');
    li.dataset.key = layer.key;
    const hotkey = document.createElement('span');
    hotkey.className = 'hotkey';
    hotkey.textContent = i < 9 ? String(i + 1) : '';
    const checkbox = document.createElement('input');
    checkbox.type = 'checkbox';
    const state: LayerState = {
      layer,
      volume: null,
      visible: shown(layer),
      loading: false,
      opacity: defaultOpacity(layer),
      checkbox,
    };
    checkbox.checked = state.visible;
    checkbox.addEventListener('change', () => {
      state.visible = checkbox.checked;
      options.onChange(state);
    });
    const name = document.createElement('label');
    name.textContent = `${layer.name}`;
    name.className = layer.kind;
    name.addEventListener('click', () => checkbox.click());
    const opacity = document.createElement('input');
    opacity.type = 'range';
    opacity.min = '0';
    opacity.max = '1';
    opacity.step = '0.05';
    opacity.value = String(state.opacity);
    opacity.title = 'opacity';
    opacity.addEventListener('input', () => {
      state.opacity = Number(opacity.value);
      options.onChange(state);
    });
    const kind = document.createElement('span');
    kind.className = 'muted';
    kind.textContent = layer.kind === 'rater' || layer.kind === layer.name ? '' : layer.kind;
    li.append(hotkey, checkbox, name, opacity, kind);
    options.list.appendChild(li);
    return state;
  });
}

/** Flips layer `i`'s visibility (keys 1–9). */
export function toggleLayer(states: LayerState[], i: number, onChange: (s: LayerState) => void): void {
  const state = states[i];
  if (state === undefined) return;
  state.visible = !state.visible;
  state.checkbox.checked = state.visible;
  onChange(state);
}

/** The label legend: a swatch and name per label of dataset.json. */
export function renderLegend(box: HTMLElement, names: Record<string, string>): void {
  box.replaceChildren(
    ...Object.entries(names).map(([value, name]) => {
      const span = document.createElement('span');
      const swatch = document.createElement('i');
      swatch.className = 'swatch';
      swatch.style.background = labelCss(Number(value));
      span.append(swatch, `${value} ${name}`);
      return span;
    }),
  );
}
