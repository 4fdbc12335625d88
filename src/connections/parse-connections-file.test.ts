import { describe, expect, it } from 'vitest';
import { isOsirisError } from '../spec/errors.js';
import { parseConnectionsFile } from './parse-connections-file.js';

const FILE = '/project/osiris_connections.yaml';

function errorOf(text: string) {
  try {
    parseConnectionsFile(text, FILE);
  } catch (error) {
    if (isOsirisError(error)) return error;
    throw error;
  }
  throw new Error('expected the file to be rejected');
}

describe('parseConnectionsFile', () => {
  it('reports a YAML syntax error with file:line:column and the expected shape', () => {
    const error = errorOf('version: 1\nconnections:\n  mysql:\n    movies:\n      host: "unterminated\n');
    expect(error.code).toBe('E_CONNECTIONS_INVALID');
    expect(error.message).toMatch(
      /^\/project\/osiris_connections\.yaml:6:1: invalid YAML: Missing closing "quote$/,
    );
    expect(error.details).toMatchObject({ file: FILE, line: 6, column: 1 });
    expect(error.hint).toContain('expected shape:');
    expect(error.hint).toContain('password: ${MYSQL_PASSWORD}');
  });

  it('reports duplicate aliases at the second one', () => {
    const error = errorOf(
      'version: 1\nconnections:\n  mysql:\n    movies: {host: a}\n    movies: {host: b}\n',
    );
    expect(error.message).toMatch(/:5:5: invalid YAML: Map keys must be unique/);
  });

  it('points at a family that is not a mapping', () => {
    const error = errorOf('version: 1\nconnections:\n  mysql: [a, b]\n');
    expect(error.message).toBe(`${FILE}:3:10: family "mysql" must map alias names to connection fields`);
  });

  it('points at an alias whose body is not a mapping', () => {
    const error = errorOf('version: 1\nconnections:\n  mysql:\n    movies: localhost\n');
    expect(error.message).toContain(`${FILE}:4:13: connection @mysql.movies must be a mapping of fields`);
  });

  it('rejects an unsupported version where it is written', () => {
    const error = errorOf('version: 2\nconnections: {}\n');
    expect(error.message).toBe(`${FILE}:1:10: unsupported \`version\`: this Osiris reads version 1`);
  });

  it('suggests the closest top-level key for a typo', () => {
    const error = errorOf('version: 1\nconnection:\n  mysql: {}\n');
    expect(error.message).toBe(`${FILE}:2:1: unknown top-level key "connection"`);
    expect(error.hint).toMatch(/^did you mean `connections`\?/);
  });

  it('rejects a non-boolean default and a second default in the same family', () => {
    expect(errorOf('connections:\n  mysql:\n    a:\n      default: yes\n').message).toBe(
      `${FILE}:4:16: \`default\` must be true or false`,
    );
    const twice = errorOf('connections:\n  mysql:\n    a: {default: true}\n    b: {default: true}\n');
    expect(twice.message).toBe(`${FILE}:4:5: family "mysql" has more than one default alias (a and b)`);
  });

  it('rejects alias names that cannot be written as @family.alias', () => {
    const error = errorOf('connections:\n  mysql:\n    my.db: {host: a}\n');
    expect(error.message).toBe(`${FILE}:3:5: invalid alias name "my.db"`);
    expect(errorOf('connections:\n  MySQL:\n    db: {host: a}\n').message).toBe(
      `${FILE}:2:3: invalid family name "MySQL"`,
    );
  });

  it('rejects malformed ${...} references at their position, including nested ones', () => {
    expect(errorOf('connections:\n  mysql:\n    a:\n      password: ${MYSQL PASSWORD}\n').message).toBe(
      `${FILE}:4:17: malformed variable reference "\${MYSQL PASSWORD}" in mysql.a.password`,
    );
    expect(
      errorOf('connections:\n  pg:\n    a:\n      options:\n        key: ${UNCLOSED\n').message,
    ).toContain(':5:14: malformed variable reference "${UNCLOSED" in pg.a.options.key');
  });

  it('keeps nested fields and non-string values as data and applies `<<` merges', () => {
    const connections = parseConnectionsFile(
      'version: 1\nx-notes: free\nconnections:\n  pg:\n    base: &base\n      port: 5432\n      ssl: {enabled: true}\n    other:\n      <<: *base\n      host: h\n',
      FILE,
    );
    expect(connections.map((connection) => connection.fields)).toEqual([
      { port: 5432, ssl: { enabled: true } },
      { port: 5432, ssl: { enabled: true }, host: 'h' },
    ]);
  });
});
