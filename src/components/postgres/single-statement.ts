import { ErrorCodes, OsirisError } from '../../spec/errors.js';

const DOLLAR_TAG = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/;

/**
 * A user's SQL ready to be wrapped as a subquery: trailing `;`, comments and whitespace cut off.
 * A `;` followed by more SQL means several statements, which a subquery cannot hold: refused.
 * Skips over quoted strings (`'…'`, `E'…'`), quoted identifiers, dollar-quoted bodies and
 * comments, so semicolons inside them do not count.
 */
export function singleStatement(sql: string): string {
  let end = 0;
  let separator = -1;
  let index = 0;
  while (index < sql.length) {
    const char = sql[index]!;
    const next = sql[index + 1];
    if (char === '-' && next === '-') {
      const newline = sql.indexOf('\n', index);
      index = newline === -1 ? sql.length : newline + 1;
      continue;
    }
    if (char === '/' && next === '*') {
      index = skipBlockComment(sql, index);
      continue;
    }
    if (/\s/.test(char)) {
      index += 1;
      continue;
    }
    if (char === ';') {
      if (separator === -1) separator = index;
      index += 1;
      continue;
    }
    if (separator !== -1) {
      throw new OsirisError(ErrorCodes.USAGE, 'the query holds more than one SQL statement', {
        hint: 'Give a single SELECT; run other statements separately.',
      });
    }
    index = skipToken(sql, index);
    end = index;
  }
  return sql.slice(0, end);
}

/** Index just after the token starting at `index` (a quoted string or identifier, a dollar-quoted body, or one character). */
function skipToken(sql: string, index: number): number {
  const char = sql[index]!;
  if (char === "'") {
    const escapes = index > 0 && /[eE]/.test(sql[index - 1]!) && !/[A-Za-z0-9_]/.test(sql[index - 2] ?? '');
    return skipQuoted(sql, index, "'", escapes);
  }
  if (char === '"') return skipQuoted(sql, index, '"', false);
  if (char === '$' && !/[A-Za-z0-9_]/.test(sql[index - 1] ?? '')) {
    const tag = DOLLAR_TAG.exec(sql.slice(index))?.[0];
    if (tag) {
      const close = sql.indexOf(tag, index + tag.length);
      return close === -1 ? sql.length : close + tag.length;
    }
  }
  return index + 1;
}

function skipQuoted(sql: string, start: number, quote: string, backslashEscapes: boolean): number {
  let index = start + 1;
  while (index < sql.length) {
    const char = sql[index]!;
    if (backslashEscapes && char === '\\') index += 2;
    else if (char === quote && sql[index + 1] === quote) index += 2;
    else if (char === quote) return index + 1;
    else index += 1;
  }
  return sql.length;
}

/** Block comments nest in PostgreSQL. */
function skipBlockComment(sql: string, start: number): number {
  let depth = 0;
  let index = start;
  while (index < sql.length) {
    if (sql.startsWith('/*', index)) {
      depth += 1;
      index += 2;
    } else if (sql.startsWith('*/', index)) {
      depth -= 1;
      index += 2;
      if (depth === 0) return index;
    } else index += 1;
  }
  return sql.length;
}
