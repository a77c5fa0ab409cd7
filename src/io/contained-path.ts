/**
 * Containment of paths in a set of root folders, judged on the real paths (symbolic links in the path and the
 * file itself resolved), so neither `../`, an absolute path nor a link inside a root can reach a file elsewhere.
 * A link inside a root to a file inside a root is fine. `lexicallyInside` is the weaker test on the path as
 * written (`..` and absolute paths, links not followed), for checks of what a manifest names.
 */
import { realpathSync } from 'node:fs';
import { resolve, sep } from 'node:path';

/** Where a path leads. */
export type Containment =
  | {
      /** The path leads to a file inside a root. */
      kind: 'inside';
      /** The file's real path (links resolved). */
      file: string;
      /** The real path of the first root holding it. */
      root: string;
    }
  | {
      /** The path leads to a file outside every root. */
      kind: 'outside';
      /** The file's real path (links resolved). */
      file: string;
    }
  | {
      /** Nothing exists at the path (or a link in it is broken). */
      kind: 'missing';
    };

/** Root folders, resolved once; `locate` judges paths against them. */
export class ContainedRoots {
  /** The roots' real paths, in the order given, missing roots left out. */
  readonly roots: readonly string[];
  /** The roots as given, made absolute. */
  readonly named: readonly string[];

  /**
   * Resolves `roots` (relative to the working directory) and their real paths; roots that do not exist are kept in
   * `named` only.
   */
  constructor(roots: readonly string[]) {
    this.named = [...new Set(roots.map((r) => resolve(r)))];
    const real = roots.flatMap((r) => {
      try {
        return [realpathSync(resolve(r))];
      } catch {
        return [];
      }
    });
    this.roots = [...new Set(real)];
  }

  /** The real file behind `path` and the root holding it, or that it lies outside every root, or is missing. */
  locate(path: string): Containment {
    let file: string;
    try {
      file = realpathSync(resolve(path));
    } catch {
      return { kind: 'missing' };
    }
    const root = this.roots.find((r) => within(file, r));
    return root === undefined ? { kind: 'outside', file } : { kind: 'inside', file, root };
  }

  /** True when `path` made absolute (`..` folded, links not followed) lies in a root as named or as real path. */
  lexicallyInside(path: string): boolean {
    const file = resolve(path);
    return this.named.some((r) => within(file, r)) || this.roots.some((r) => within(file, r));
  }
}

function within(file: string, root: string): boolean {
  return file === root || file.startsWith(root.endsWith(sep) ? root : root + sep);
}
