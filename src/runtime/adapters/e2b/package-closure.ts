import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { isBuiltin } from 'node:module';
import { dirname, join, resolve, sep } from 'node:path';
import { init, parse } from 'es-module-lexer';
import { ErrorCodes, OsirisError } from '../../../spec/errors.js';

const PACKAGE_NAME = /^(?:@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*$/i;

/**
 * Bare package names reachable from `entry` through relative imports of compiled ES modules,
 * dynamic driver imports included (they are literal strings). Only these packages, with their
 * own dependencies, go into the worker bundle: the agent, the CLI and their SDKs stay out.
 */
export async function packagesReachableFrom(entry: string): Promise<string[]> {
  const visited = new Set<string>();
  const packages = new Set<string>();
  const pending = [resolve(entry)];
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (visited.has(file) || !existsSync(file)) continue;
    visited.add(file);
    const text = await readFile(file, 'utf8');
    // A lexer, not a pattern: `Buffer.from('x')` or an import in a comment or string is no import.
    await init;
    const [imports] = parse(text, file);
    for (const { n: specifier } of imports) {
      // undefined: a dynamic import of a computed specifier, which no bundle can follow.
      if (specifier === undefined) continue;
      if (specifier.startsWith('.')) pending.push(resolve(dirname(file), specifier));
      else if (!specifier.startsWith('node:') && !isBuiltin(specifier)) {
        const name = packageNameOf(specifier);
        if (PACKAGE_NAME.test(name)) packages.add(name);
      }
    }
  }
  return [...packages].sort();
}

export interface InstalledPackage {
  name: string;
  /** Absolute folder of the installed package. */
  dir: string;
}

/**
 * The installed folders of `names` and everything they depend on (dependencies and the optional
 * dependencies that are installed, such as the one native binary package for this platform),
 * found the way Node resolves them: `node_modules` of the requiring package, then its ancestors.
 */
export async function installedClosure(names: string[], fromDir: string): Promise<InstalledPackage[]> {
  const found = new Map<string, InstalledPackage>();
  const visit = async (name: string, requiredFrom: string, optional: boolean): Promise<void> => {
    const dir = locatePackage(name, requiredFrom);
    if (!dir) {
      if (optional) return;
      throw new OsirisError(
        ErrorCodes.ADAPTER_UNAVAILABLE,
        `Cannot build the worker bundle: package '${name}' is not installed.`,
        {
          hint: 'Reinstall osiris-etl (npm ci) so its dependencies are complete.',
          details: { package: name },
        },
      );
    }
    if (found.has(dir)) return;
    found.set(dir, { name, dir });
    const manifest = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as {
      dependencies?: Record<string, string>;
      optionalDependencies?: Record<string, string>;
    };
    const optionalNames = new Set(Object.keys(manifest.optionalDependencies ?? {}));
    for (const dependency of Object.keys({ ...manifest.dependencies, ...manifest.optionalDependencies })) {
      await visit(dependency, dir, optionalNames.has(dependency));
    }
  };
  for (const name of names) await visit(name, fromDir, false);
  return [...found.values()].sort((a, b) => a.dir.localeCompare(b.dir));
}

function packageNameOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

function locatePackage(name: string, fromDir: string): string | undefined {
  let dir = fromDir;
  for (;;) {
    if (!dir.endsWith(`${sep}node_modules`)) {
      const candidate = join(dir, 'node_modules', name);
      if (existsSync(join(candidate, 'package.json'))) return candidate;
    }
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}
