import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SRC = join(ROOT, 'src');

/** Test kits, fakes and harnesses: they live beside the code they test, never in the package. */
const isTestSupport = (path: string): boolean =>
  /(^|\/)testing\//.test(path) || /-test-kit[^/]*\.ts$/.test(path) || /-test-support[^/]*\.ts$/.test(path);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') && !path.endsWith('.test.ts') ? [path] : [];
  });
}

describe('the built package', () => {
  it('holds no test kit or fake: the build leaves them out', () => {
    const listed = execFileSync(
      process.execPath,
      [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json', '--listFilesOnly'],
      { cwd: ROOT, encoding: 'utf8' },
    );
    const built = listed
      .split('\n')
      .filter((path) => path.startsWith(SRC))
      .map((path) => relative(SRC, path));
    expect(built.length).toBeGreaterThan(100);
    expect(built.filter(isTestSupport)).toEqual([]);
  });

  it('so product code never imports one', () => {
    const offenders: string[] = [];
    for (const file of sourceFiles(SRC)) {
      const rel = relative(SRC, file);
      if (isTestSupport(rel)) continue;
      for (const match of readFileSync(file, 'utf8').matchAll(/(?:from|import\()\s*'([^']+)'/g)) {
        if (isTestSupport(match[1]!)) offenders.push(`${rel} imports ${match[1]}`);
      }
    }
    expect(offenders).toEqual([]);
  });
});
