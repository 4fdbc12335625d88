/**
 * The members of one JSON object, each as its exact source text (`12345678901234567890.1234567891`,
 * `{"n": 1.00000000000000000001}`, `"text"`). JSON.parse and DuckDB's read_json both read numbers
 * as doubles, so checking that a JSON file keeps every digit needs the text itself.
 */
export function jsonMembers(text: string): Map<string, string> {
  const members = new Map<string, string>();
  let at = skipSpace(text, 0);
  expect(text, at, '{');
  at = skipSpace(text, at + 1);
  if (text[at] === '}') return members;
  for (;;) {
    const keyEnd = skipValue(text, at);
    const key = JSON.parse(text.slice(at, keyEnd)) as string;
    at = skipSpace(text, keyEnd);
    expect(text, at, ':');
    const valueStart = skipSpace(text, at + 1);
    const valueEnd = skipValue(text, valueStart);
    members.set(key, text.slice(valueStart, valueEnd));
    at = skipSpace(text, valueEnd);
    if (text[at] === '}') return members;
    expect(text, at, ',');
    at = skipSpace(text, at + 1);
  }
}

function expect(text: string, at: number, char: string): void {
  if (text[at] !== char) throw new Error(`expected ${char} at ${at}, found ${text.slice(at, at + 20)}`);
}

function skipSpace(text: string, at: number): number {
  let index = at;
  while (index < text.length && ' \t\r\n'.includes(text[index] ?? '')) index += 1;
  return index;
}

/** The end of the value starting at `at` (string, number, literal, or nested object/array). */
function skipValue(text: string, at: number): number {
  const first = text[at];
  if (first === '"') {
    let index = at + 1;
    while (text[index] !== '"') index += text[index] === '\\' ? 2 : 1;
    return index + 1;
  }
  if (first === '{' || first === '[') {
    let depth = 0;
    let index = at;
    do {
      const char = text[index];
      if (char === '"') {
        index = skipValue(text, index);
        continue;
      }
      if (char === '{' || char === '[') depth += 1;
      if (char === '}' || char === ']') depth -= 1;
      index += 1;
    } while (depth > 0);
    return index;
  }
  let index = at;
  while (index < text.length && !',}] \t\r\n'.includes(text[index] ?? '')) index += 1;
  return index;
}
