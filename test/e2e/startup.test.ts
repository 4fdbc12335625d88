import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { VERSION } from '../../src/version.js';
import { OSIRIS_BIN } from '../support/cli.js';

const tracer = fileURLToPath(new URL('./fixtures/trace-imports.mjs', import.meta.url));

describe('CLI start-up', () => {
  it('prints the versions of Osiris, Node.js and DuckDB', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    const duckdb = JSON.parse(
      readFileSync(new URL('../../node_modules/@duckdb/node-api/package.json', import.meta.url), 'utf8'),
    ).version.replace(/-r\.\d+$/, '');
    expect(VERSION).toBe(pkg.version);
    const result = spawnSync(process.execPath, [OSIRIS_BIN, '--version'], { encoding: 'utf8' });
    // What a bug report needs: Osiris, Node.js and DuckDB (read from its metadata, not loaded).
    expect(result.stdout).toBe(`osiris ${pkg.version}\nNode.js ${process.version}\nDuckDB ${duckdb}\n`);
    expect(result.status).toBe(0);
  });

  it('loads no database driver, DuckDB or LLM SDK for --version and --help', () => {
    for (const flag of ['--version', '--help']) {
      const result = spawnSync(process.execPath, ['--import', tracer, OSIRIS_BIN, flag], {
        encoding: 'utf8',
      });
      expect(result.status).toBe(0);
      const loaded = result.stderr.split('\n').filter((line) => line.startsWith('[import] '));
      expect(loaded.length).toBeGreaterThan(3); // the tracer works
      const heavy = loaded.filter((line) =>
        /@duckdb|mysql2|\/pg\/|pg-copy-streams|better-sqlite3|\/ai\/|@ai-sdk|e2b|@modelcontextprotocol|@supabase|\/ajv\//.test(
          line,
        ),
      );
      expect(heavy, flag).toEqual([]);
    }
  });
});
