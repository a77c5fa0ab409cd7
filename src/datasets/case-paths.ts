/**
 * Every file a Case names: `image`, each rater's label map, `truth`, and the path-valued meta fields (`cine`,
 * `channels`). Importers rewrite them all at once; the checker tests them all for existence.
 */
import type { Case } from './dataset.ts';

/** The role a path plays in its case; label roles are checked as label maps. */
export type CasePathRole = 'image' | 'rater' | 'truth' | 'cine' | 'channel';

export interface CasePath {
  role: CasePathRole;
  /** Rater id for `rater`, channel index for `channel`. */
  key?: string;
  path: string;
}

/** The paths of `c` with their roles, in a fixed order: image, channels, cine, raters (by id order), truth. */
export function casePaths(c: Case): CasePath[] {
  const out: CasePath[] = [];
  if (c.image !== undefined) out.push({ role: 'image', path: c.image });
  c.meta.channels?.forEach((path, i) => out.push({ role: 'channel', key: String(i), path }));
  if (c.meta.cine !== undefined) out.push({ role: 'cine', path: c.meta.cine });
  for (const [key, path] of Object.entries(c.raters)) out.push({ role: 'rater', key, path });
  if (c.truth !== undefined) out.push({ role: 'truth', path: c.truth });
  return out;
}

/** A copy of `c` with every path replaced by `fn(path)`. */
export function mapCasePaths(c: Case, fn: (path: string) => string): Case {
  const meta = { ...c.meta };
  if (meta.cine !== undefined) meta.cine = fn(meta.cine);
  if (meta.channels !== undefined) meta.channels = meta.channels.map(fn);
  const raters: Record<string, string> = {};
  for (const [key, path] of Object.entries(c.raters)) raters[key] = fn(path);
  return {
    id: c.id,
    ...(c.image !== undefined ? { image: fn(c.image) } : {}),
    raters,
    ...(c.truth !== undefined ? { truth: fn(c.truth) } : {}),
    meta,
  };
}
