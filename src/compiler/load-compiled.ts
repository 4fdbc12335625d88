import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';
import { ErrorCodes, OsirisError } from '../spec/errors.js';
import { type CompiledPipeline, MANIFEST_VERSION, type Manifest } from '../spec/manifest.js';
import { manifestFingerprint } from './build-compiled.js';

/**
 * Read a build folder back: manifest.yaml and every cfg file. Refuses a build whose files were
 * changed after compiling (the recomputed manifest_fp differs) or that is missing pieces.
 */
export async function loadCompiled(buildDir: string): Promise<CompiledPipeline> {
  const manifestFile = path.join(buildDir, 'manifest.yaml');
  const manifest = checkManifest(parseYaml(await readText(manifestFile), manifestFile), manifestFile);
  const cfg: Record<string, Record<string, unknown>> = {};
  for (const step of manifest.steps) {
    const cfgFile = path.resolve(buildDir, step.cfg_path);
    if (path.relative(buildDir, cfgFile).startsWith('..')) {
      throw invalid(
        `${manifestFile}: step ${step.id} has cfg_path ${step.cfg_path} outside the build folder`,
      );
    }
    let config: unknown;
    try {
      config = JSON.parse(await readText(cfgFile));
    } catch (error) {
      if (error instanceof OsirisError) throw error;
      throw invalid(`${cfgFile} is not valid JSON`, error);
    }
    if (typeof config !== 'object' || config === null || Array.isArray(config))
      throw invalid(`${cfgFile} is not a JSON object`);
    cfg[step.id] = config as Record<string, unknown>;
  }
  if (manifestFingerprint(manifest, cfg) !== manifest.fingerprints.manifest_fp) {
    throw invalid(`the build in ${buildDir} was modified after it was compiled (manifest_fp does not match)`);
  }
  return { manifest, cfg };
}

async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw invalid(`cannot read ${file}`, error);
  }
}

function parseYaml(text: string, file: string): unknown {
  try {
    return parse(text);
  } catch (error) {
    throw invalid(`${file} is not valid YAML`, error);
  }
}

/** Enough shape checking that the runner can trust the fields it reads. */
function checkManifest(value: unknown, file: string): Manifest {
  const manifest = value as Partial<Manifest> | null;
  if (typeof manifest !== 'object' || manifest === null) throw invalid(`${file} is not a manifest`);
  if (manifest.manifest_version !== MANIFEST_VERSION) {
    throw invalid(
      `${file} has manifest_version ${String(manifest.manifest_version)}; this Osiris reads ${MANIFEST_VERSION}`,
    );
  }
  if (typeof manifest.pipeline?.name !== 'string') throw invalid(`${file} has no pipeline.name`);
  if (!Array.isArray(manifest.steps) || manifest.steps.length === 0) throw invalid(`${file} has no steps`);
  for (const step of manifest.steps) {
    const ok =
      typeof step?.id === 'string' &&
      typeof step.component === 'string' &&
      typeof step.cfg_path === 'string' &&
      Array.isArray(step.needs);
    if (!ok) throw invalid(`${file} has a step without id, component, cfg_path or needs`);
  }
  if (!Array.isArray(manifest.plan?.order) || !Array.isArray(manifest.plan?.levels))
    throw invalid(`${file} has no plan`);
  if (typeof manifest.fingerprints?.manifest_fp !== 'string') throw invalid(`${file} has no fingerprints`);
  return manifest as Manifest;
}

function invalid(message: string, cause?: unknown): OsirisError {
  return new OsirisError(ErrorCodes.MANIFEST_INVALID, message, {
    hint: 'compile the pipeline again: `osiris compile <pipeline.yaml>`',
    ...(cause === undefined ? {} : { cause }),
  });
}
