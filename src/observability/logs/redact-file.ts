import { maskYamlText } from './mask-yaml-text.js';
import { maskSecretNamedValues, type ProjectRedaction } from './project-redaction.js';

const decoder = new TextDecoder('utf-8', { fatal: true });

/** Text is UTF-8 without NUL bytes; anything else (parquet, DuckDB files) is binary. */
export function decodeText(data: Uint8Array): string | undefined {
  if (data.subarray(0, 8192).includes(0)) return undefined;
  try {
    return decoder.decode(data);
  } catch {
    return undefined;
  }
}

/**
 * Redact one session file's text by its kind: JSON and JSON Lines by field name and value, YAML
 * by key with layout kept, anything else by known secret values and URL passwords.
 */
export function redactFileText(fileName: string, text: string, redaction: ProjectRedaction): string {
  if (fileName.endsWith('.jsonl')) {
    return text
      .split('\n')
      .map((line) =>
        line.trim() === '' ? line : redactJson(line, redaction, (value) => JSON.stringify(value)),
      )
      .join('\n');
  }
  if (fileName.endsWith('.json')) {
    return redactJson(text, redaction, (value) => `${JSON.stringify(value, null, 2)}\n`);
  }
  if (fileName.endsWith('.yaml') || fileName.endsWith('.yml')) {
    return redaction.redactor.text(maskYamlText(text, redaction.isSecretName));
  }
  return redaction.redactor.text(text);
}

/** Keep the original bytes when nothing needed masking, so a clean file round-trips unchanged. */
function redactJson(
  text: string,
  redaction: ProjectRedaction,
  serialize: (value: unknown) => string,
): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return redaction.redactor.text(text);
  }
  const redacted = redaction.redactor.value(maskSecretNamedValues(parsed, redaction.isSecretName));
  return JSON.stringify(redacted) === JSON.stringify(parsed) ? text : serialize(redacted);
}
