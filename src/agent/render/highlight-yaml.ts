import pc from 'picocolors';

/**
 * YAML with keys, strings, comments, numbers and list dashes coloured, line by line. A display
 * aid only: it never changes the text, so copying from the terminal gives the exact OML.
 */
export function highlightYaml(text: string): string {
  return text
    .split('\n')
    .map((line) => highlightLine(line))
    .join('\n');
}

function highlightLine(line: string): string {
  const comment = /^(\s*)(#.*)$/.exec(line);
  if (comment) return `${comment[1]}${pc.dim(comment[2] ?? '')}`;
  const keyed = /^(\s*)(- )?([A-Za-z_][\w.-]*)(:)(\s*)(.*)$/.exec(line);
  if (keyed) {
    const [, indent = '', dash = '', key = '', colon = '', space = '', value = ''] = keyed;
    return `${indent}${dash ? pc.dim(dash) : ''}${pc.cyan(key)}${pc.dim(colon)}${space}${highlightValue(value)}`;
  }
  const item = /^(\s*)(- )(.*)$/.exec(line);
  if (item) return `${item[1]}${pc.dim(item[2] ?? '')}${highlightValue(item[3] ?? '')}`;
  return line;
}

function highlightValue(value: string): string {
  if (value.length === 0) return value;
  if (value === '|' || value === '>' || value === '|-' || value === '>-') return pc.dim(value);
  if (/^["'].*["']$/.test(value) || /^@/.test(value)) return pc.green(value);
  if (/^-?\d+(\.\d+)?$/.test(value) || /^(true|false|null)$/.test(value)) return pc.yellow(value);
  if (/^\[.*\]$/.test(value)) return pc.magenta(value);
  return value;
}
