import { ErrorCodes, OsirisError } from '../../spec/errors.js';

/**
 * Elements of a one-dimensional PostgreSQL array literal (`{1,NULL,"a \"b\""}`) as text, NULL
 * elements as null: the same element text `array_to_json(col::text[])` gives on the COPY path.
 */
export function parseArrayLiteral(literal: string): (string | null)[] {
  const text = literal.replace(/^\[[^\]]*\]=/, '');
  if (!text.startsWith('{') || !text.endsWith('}')) throw notAnArray(literal);
  const elements: (string | null)[] = [];
  let index = 1;
  const end = text.length - 1;
  if (end === 1) return elements;
  while (index < end) {
    const char = text[index];
    if (char === '{') {
      throw new OsirisError(
        ErrorCodes.SOURCE_READ_FAILED,
        'multi-dimensional arrays cannot be read over the REST API',
        {
          hint: 'Read this table over the Postgres protocol (a dsn in the connection), casting the column to text.',
        },
      );
    }
    if (char === '"') {
      let value = '';
      index += 1;
      while (index < end && text[index] !== '"') {
        if (text[index] === '\\') index += 1;
        value += text[index] ?? '';
        index += 1;
      }
      elements.push(value);
      index += 1;
    } else {
      let next = text.indexOf(',', index);
      if (next === -1 || next > end) next = end;
      const raw = text.slice(index, next).trim();
      elements.push(raw.toUpperCase() === 'NULL' ? null : raw.replace(/\\(.)/g, '$1'));
      index = next;
    }
    if (text[index] === ',') index += 1;
    else if (index !== end) throw notAnArray(literal);
  }
  return elements;
}

function notAnArray(literal: string): OsirisError {
  return new OsirisError(
    ErrorCodes.SOURCE_READ_FAILED,
    `not a PostgreSQL array literal: ${literal.slice(0, 80)}`,
  );
}
