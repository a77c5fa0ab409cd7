/**
 * Case-id patterns such as `{subject}_{frame}`: read `meta.subject` and `meta.frame` from the case ids (file
 * names) of sources that carry them nowhere else, so the cardiac clinical indices can pair each subject's ED and
 * ES cases. `{frame}` matches ED or ES (any case, stored upper-case) or a whole number (stored as a number);
 * `{subject}` matches any non-empty text. Every other character is literal. The whole id must match.
 */
import { MultiraterError } from '../errors.ts';
import type { Case, CaseMeta } from './dataset.ts';

const PLACEHOLDERS = { subject: '(.+?)', frame: '([Ee][DdSs]|[0-9]+)' } as const;
type Placeholder = keyof typeof PLACEHOLDERS;

/** A checked case-id pattern. */
export interface CasePattern {
  /** The pattern as given. */
  text: string;
  /** The placeholders in the order they appear. */
  fields: Placeholder[];
  /**
   * The pattern compiled, anchored at the end of the case id: literal text matches itself, each placeholder its field.
   */
  regex: RegExp;
}

/**
 * Checks and compiles `text`: only `{subject}` and `{frame}`, each at most once, at least one, with literal text
 * between them (`{subject}{frame}` would be ambiguous for numbered frames). `invalid_argument` otherwise.
 */
export function parseCasePattern(text: string): CasePattern {
  const fail = (why: string) => new MultiraterError('invalid_argument', `options.casePattern "${text}": ${why}`);
  const fields: Placeholder[] = [];
  let source = '^';
  let last: 'literal' | 'field' | null = null;
  for (const part of text.split(/(\{[^{}]*\})/)) {
    if (part === '') continue;
    if (part.startsWith('{') && part.endsWith('}')) {
      const name = part.slice(1, -1);
      if (name !== 'subject' && name !== 'frame')
        throw fail(`unknown placeholder ${part} (expected {subject} and/or {frame})`);
      if (fields.includes(name)) throw fail(`${part} appears twice`);
      if (last === 'field') throw fail(`put literal text between placeholders (e.g. {subject}_{frame})`);
      fields.push(name);
      source += PLACEHOLDERS[name];
      last = 'field';
    } else {
      if (/[{}]/.test(part)) throw fail(`unbalanced brace in "${part}"`);
      source += part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      last = 'literal';
    }
  }
  if (fields.length === 0) throw fail('has no {subject} or {frame}');
  return { text, fields, regex: new RegExp(`${source}$`) };
}

/** The meta fields `pattern` reads from `id`; `invalid_argument` naming the case and `source` when it does not match. */
export function matchCasePattern(
  pattern: CasePattern,
  id: string,
  source: string,
): Pick<CaseMeta, 'subject' | 'frame'> {
  const m = pattern.regex.exec(id);
  if (!m) {
    const frameRule = pattern.fields.includes('frame') ? ' ({frame} is ED, ES or a whole number)' : '';
    throw new MultiraterError(
      'invalid_argument',
      `${source}: case "${id}" does not match options.casePattern "${pattern.text}"${frameRule}`,
    );
  }
  const meta: Pick<CaseMeta, 'subject' | 'frame'> = {};
  pattern.fields.forEach((field, i) => {
    const value = m[i + 1];
    if (field === 'subject') meta.subject = value;
    else meta.frame = /^[0-9]+$/.test(value) ? Number(value) : (value.toUpperCase() as 'ED' | 'ES');
  });
  return meta;
}

/** `cases` with meta.subject / meta.frame set from their ids by `pattern` (which wins over values already there). */
export function applyCasePattern(cases: readonly Case[], pattern: CasePattern, source: string): Case[] {
  return cases.map((c) => ({ ...c, meta: { ...c.meta, ...matchCasePattern(pattern, c.id, source) } }));
}
