import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { builtinFamilies } from '../../src/components/index.js';

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));

/**
 * Which top-level modules each module may import. Dependencies point downward:
 * cli → agent/mcp/demo → composition → components → discovery/report/runtime/compiler →
 * oml/registry/connections → spec/util. Technology folders (components/<family>/) implement the
 * contracts of the layers below them; only the composition root binds them, so no core layer names
 * a technology.
 */
const CORE = ['spec', 'util', 'registry', 'connections', 'project'];
const ALLOWED: Record<string, string[]> = {
  spec: [],
  util: ['spec'],
  registry: ['spec', 'util'],
  connections: ['spec', 'util', 'project'],
  project: ['spec', 'util', 'registry', 'connections', 'oml'],
  oml: ['spec', 'util', 'registry', 'connections'],
  compiler: [...CORE, 'oml', 'version.ts'],
  observability: CORE,
  runtime: [...CORE, 'compiler', 'observability', 'oml'],
  report: [...CORE, 'observability'],
  discovery: [...CORE, 'runtime/data-plane'],
  components: [...CORE, 'oml', 'runtime', 'discovery', 'observability'],
  composition: [...CORE, 'runtime', 'discovery', 'observability', 'components'],
  demo: [...CORE, 'runtime', 'observability', 'report', 'composition'],
  agent: [
    ...CORE,
    'oml',
    'compiler',
    'runtime',
    'discovery',
    'observability',
    'report',
    'demo',
    'composition',
  ],
  mcp: [...CORE, 'oml', 'compiler', 'runtime', 'discovery', 'observability', 'report', 'composition'],
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

  it('binds every built-in component spec to a driver, with tests in its family folder', () => {
    const missing: string[] = [];
    for (const family of builtinFamilies) {
      const folder = join(SRC, 'components', family.name);
      const hasTests = readdirSync(folder).some((f) => f.endsWith('.test.ts'));
      if (!hasTests) missing.push(`${family.name}: no tests in components/${family.name}/`);
      for (const component of family.components) {
        if (!component.loadDriver) missing.push(`${component.spec.name}: no driver`);
        if (component.spec.name.split('.')[0] !== family.name)
          missing.push(`${component.spec.name}: not named after its family ${family.name}`);
      }
    }
    expect(missing).toEqual([]);
  });
});
