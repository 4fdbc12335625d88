import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { driverLoaders } from '../../src/components/drivers.js';
import { builtinSpecs } from '../../src/components/specs.js';

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));

/**
 * Which top-level modules each module may import. Dependencies point downward:
 * cli → agent/mcp → discovery/report/runtime/compiler → oml/registry/connections → spec/util.
 */
const ALLOWED: Record<string, string[]> = {
  spec: [],
  util: ['spec'],
  registry: ['spec', 'util', 'components'],
  components: ['spec', 'util', 'registry', 'runtime/data-plane', 'runtime/testing', 'connections'],
  connections: ['spec', 'util', 'registry', 'components', 'project'],
  project: ['spec', 'util', 'registry', 'connections', 'oml'],
  oml: ['spec', 'util', 'registry', 'connections', 'components'],
  compiler: ['spec', 'util', 'registry', 'connections', 'oml', 'project', 'version.ts'],
  observability: ['spec', 'util', 'connections', 'components', 'registry', 'project'],
  runtime: [
    'spec',
    'util',
    'registry',
    'connections',
    'compiler',
    'observability',
    'project',
    'components',
    'oml',
  ],
  report: ['spec', 'util', 'observability', 'connections', 'registry', 'components', 'project'],
  discovery: ['spec', 'util', 'registry', 'connections', 'project', 'components', 'runtime/data-plane'],
  demo: ['spec', 'util', 'runtime', 'observability', 'report', 'project'],
  agent: [
    'spec',
    'util',
    'registry',
    'connections',
    'project',
    'oml',
    'compiler',
    'runtime',
    'discovery',
    'observability',
    'report',
    'components',
    'demo',
  ],
  mcp: [
    'spec',
    'util',
    'registry',
    'connections',
    'project',
    'oml',
    'compiler',
    'runtime',
    'discovery',
    'observability',
    'report',
    'components',
  ],
  cli: ['*'],
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') && !path.endsWith('.test.ts') ? [path] : [];
  });
}

function moduleOf(path: string): string {
  const rel = relative(SRC, path).split('/');
  if (rel[0] === 'runtime' && (rel[1] === 'data-plane' || rel[1] === 'testing')) return `runtime/${rel[1]}`;
  return rel[0]!;
}

describe('architecture', () => {
  it('keeps dependencies pointing downward', () => {
    const violations: string[] = [];
    for (const file of sourceFiles(SRC)) {
      const from = moduleOf(file);
      const allowed = ALLOWED[from.split('/')[0]!] ?? [];
      if (allowed.includes('*')) continue;
      const text = readFileSync(file, 'utf8');
      for (const match of text.matchAll(/(?:from|import\()\s*'(\.{1,2}\/[^']+)'/g)) {
        const target = resolve(dirname(file), match[1]!);
        if (!target.startsWith(SRC)) continue;
        const to = moduleOf(target);
        const top = to.split('/')[0]!;
        // version.js is a leaf every layer may read.
        if (top === from.split('/')[0] || to === from || to === 'version.js') continue;
        if (!allowed.includes(to) && !allowed.includes(top)) {
          violations.push(`${relative(SRC, file)} imports ${relative(SRC, target)} (${from} → ${to})`);
        }
      }
    }
    expect(violations).toEqual([]);
  });

  it('binds every built-in component spec to a driver, with tests in its folder', () => {
    const missing: string[] = [];
    for (const spec of builtinSpecs) {
      if (!driverLoaders[spec.name]) missing.push(`${spec.name}: no driver`);
      const family = spec.name.split('.')[0]!;
      const folder = join(SRC, 'components', family);
      const hasTests = readdirSync(folder).some((f) => f.endsWith('.test.ts'));
      if (!hasTests) missing.push(`${spec.name}: no tests in components/${family}/`);
    }
    expect(missing).toEqual([]);
  });
});
