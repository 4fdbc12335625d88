import { createHash } from 'node:crypto';
import { createWriteStream, existsSync } from 'node:fs';
import { readdir, readFile, rm, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { ErrorCodes, OsirisError } from '../../../spec/errors.js';
import { produceFileAtomic } from '../../../util/atomic-file.js';
import { type InstalledPackage, installedClosure, packagesReachableFrom } from './package-closure.js';
import { type TarFile, tarFiles } from './tar-writer.js';

/** The worker's entry point inside the bundle. */
export const WORKER_ENTRY = 'dist/composition/worker.js';

export interface WorkerBundle {
  version: string;
  /** Changes whenever any bundled file could have changed (see `bundleId`). */
  id: string;
  /** The local `.tar.gz`, ready to upload. */
  archive: string;
  /** Where its native modules run: they load only on the same platform, CPU and Node ABI. */
  platform: string;
  arch: string;
  modulesAbi: string;
}

/** Folders and files never needed at run time: type declarations, source maps, docs. */
const SKIPPED_FILE = /\.(?:map|d\.ts|d\.mts|d\.cts|md|markdown|tsbuildinfo)$/i;

/**
 * The worker as an archive of exactly what it runs: the package's published files (npm `files`:
 * dist/, schemas/ …) and the installed production packages its import graph reaches (DuckDB,
 * drivers, zod, ajv) with their dependencies, native binaries included. Packs are cached under
 * `cacheDir`, keyed by version and content, so only the first run after an install or a build
 * pays for packing. The bundle is built from this machine's node_modules, so it runs only where
 * the platform matches (see the README for baking it into a template instead).
 */
export async function prepareWorkerBundle(options: {
  packageRoot: string;
  cacheDir: string;
}): Promise<WorkerBundle> {
  const root = resolve(options.packageRoot);
  const manifest = await readPackageManifest(root);
  if (!existsSync(join(root, WORKER_ENTRY))) {
    throw new OsirisError(
      ErrorCodes.ADAPTER_UNAVAILABLE,
      `The worker is not built: ${join(root, WORKER_ENTRY)} is missing.`,
      {
        hint: 'Run `npm run build` in the osiris-etl folder, then try again.',
      },
    );
  }
  const files = await bundleFiles(root, manifest.files);
  const identity = {
    version: manifest.version,
    platform: process.platform,
    arch: process.arch,
    modulesAbi: process.versions.modules,
  };
  const id = await bundleId(identity, files);
  const archive = join(options.cacheDir, `worker-${manifest.version}-${id}.tar.gz`);
  if (!existsSync(archive)) {
    await writeArchive(archive, files);
    await pruneOlderBundles(options.cacheDir, manifest.version, basename(archive));
  }
  return { ...identity, id, archive };
}

/** `$XDG_CACHE_HOME/osiris/e2b`, else `~/.cache/osiris/e2b`. */
export function defaultBundleCacheDir(env: Record<string, string | undefined> = process.env): string {
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'osiris', 'e2b');
}

async function readPackageManifest(root: string): Promise<{ version: string; files: string[] }> {
  const text = await readFile(join(root, 'package.json'), 'utf8').catch((error: unknown) => {
    throw new OsirisError(ErrorCodes.ADAPTER_UNAVAILABLE, `Cannot read ${join(root, 'package.json')}.`, {
      hint: 'The osiris-etl installation looks incomplete; reinstall it.',
      cause: error,
    });
  });
  const manifest = JSON.parse(text) as { version?: unknown; files?: unknown };
  const files = Array.isArray(manifest.files)
    ? manifest.files.filter((f): f is string => typeof f === 'string')
    : ['dist'];
  return { version: String(manifest.version ?? '0.0.0'), files };
}

async function bundleFiles(root: string, published: string[]): Promise<TarFile[]> {
  const files = new Map<string, TarFile>();
  const add = (file: TarFile) => {
    if (!files.has(file.path)) files.set(file.path, file);
  };
  for (const entry of ['package.json', ...published]) {
    for (const file of await walk(join(root, entry), entry, keepAll)) add(file);
  }
  const names = await packagesReachableFrom(join(root, WORKER_ENTRY));
  for (const installed of await installedClosure(names, root)) {
    const keep = existsSync(join(installed.dir, 'binding.gyp')) ? keepNativeRuntime : keepAll;
    for (const file of await walk(installed.dir, bundlePathOf(installed, root), keep)) add(file);
  }
  return [...files.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

type Keep = (pathInPackage: string, isDirectory: boolean) => boolean;

const keepAll: Keep = () => true;

/**
 * A package built from C sources keeps only the compiled `.node` files of `build/`: its sources
 * and object files are most of its size and never load.
 */
const keepNativeRuntime: Keep = (path, isDirectory) =>
  isDirectory
    ? path !== 'deps' && path !== 'src' && !/^build\/.*\/(?:obj\.target|\.deps)$/.test(path)
    : !path.startsWith('build/') || path.endsWith('.node');

/** Files below `source`, without nested node_modules (their packages are bundled on their own). */
async function walk(source: string, archivePath: string, keep: Keep, pathInPackage = ''): Promise<TarFile[]> {
  const info = await stat(source).catch(() => undefined);
  if (!info) return [];
  if (info.isFile()) {
    if (SKIPPED_FILE.test(source) || (pathInPackage && !keep(pathInPackage, false))) return [];
    return [{ path: archivePath, source, size: info.size, mode: info.mode, mtime: info.mtimeMs / 1000 }];
  }
  if (!info.isDirectory() || (pathInPackage && !keep(pathInPackage, true))) return [];
  const out: TarFile[] = [];
  for (const entry of await readdir(source)) {
    if (entry === 'node_modules') continue;
    const inner = pathInPackage ? `${pathInPackage}/${entry}` : entry;
    out.push(...(await walk(join(source, entry), `${archivePath}/${entry}`, keep, inner)));
  }
  return out;
}

/**
 * Where an installed package goes in the bundle: its path below the package root, or, for a
 * package hoisted above it (osiris-etl installed as a dependency), its path below the nearest
 * node_modules folder that holds both, so Node resolves it the same way in the sandbox.
 */
function bundlePathOf({ name, dir }: InstalledPackage, root: string): string {
  const inside = relative(root, dir);
  if (!inside.startsWith('..')) return inside.split(sep).join('/');
  for (let holder = dirname(root); dirname(holder) !== holder; holder = dirname(holder)) {
    if (basename(holder) === 'node_modules' && dir.startsWith(`${holder}${sep}`)) {
      return `node_modules/${relative(holder, dir).split(sep).join('/')}`;
    }
  }
  return `node_modules/${name}`;
}

/**
 * Content hashes for the package's own files and every package.json (a version bump changes
 * them), sizes for the rest: cheap enough to compute on every run, and a reinstall that changes
 * any dependency changes the id.
 */
async function bundleId(identity: Record<string, string>, files: TarFile[]): Promise<string> {
  const hash = createHash('sha256').update(JSON.stringify(identity));
  for (const file of files) {
    hash.update(`\n${file.path}\u0000${file.size}`);
    if (!file.path.startsWith('node_modules/') || file.path.endsWith('/package.json')) {
      hash.update(await readFile(file.source));
    }
  }
  return hash.digest('hex').slice(0, 16);
}

async function writeArchive(archive: string, files: TarFile[]): Promise<void> {
  try {
    await produceFileAtomic(archive, async (temp) => {
      await pipeline(Readable.from(tarFiles(files)), createGzip(), createWriteStream(temp));
    });
  } catch (error) {
    throw new OsirisError(
      ErrorCodes.ADAPTER_UNAVAILABLE,
      `Could not pack the worker bundle into ${archive}.`,
      {
        hint: 'Check that the cache folder is writable and has room (about 40 MB).',
        details: { reason: error instanceof Error ? error.message : String(error) },
        cause: error,
      },
    );
  }
}

/**
 * Packs of older builds of the same version are stale once a new one exists. The two most recent
 * others stay: another run may be about to upload one (two checkouts, a rebuild mid-run).
 */
async function pruneOlderBundles(cacheDir: string, version: string, keep: string): Promise<void> {
  const others = [];
  for (const name of await readdir(cacheDir)) {
    if (name !== keep && name.startsWith(`worker-${version}-`) && name.endsWith('.tar.gz')) {
      const info = await stat(join(cacheDir, name)).catch(() => undefined);
      if (info) others.push({ name, modified: info.mtimeMs });
    }
  }
  others.sort((a, b) => b.modified - a.modified);
  for (const stale of others.slice(2)) await rm(join(cacheDir, stale.name), { force: true });
}
