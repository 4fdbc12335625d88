import path from 'node:path';
import { loadConnections } from '../connections/load-connections.js';
import type { ConnectionsConfig } from '../connections/types.js';
import { analyzeOml, type OmlAnalysis } from '../oml/analyze-oml.js';
import { analyzeOmlFile } from '../oml/validate-oml-file.js';
import { findProjectDir, findProjectDirFor } from '../project/find-project-dir.js';
import type { Registry } from '../registry/registry.js';
import { type Diagnostic, hasErrors } from '../spec/diagnostics.js';
import type { Fingerprints, Manifest } from '../spec/manifest.js';
import { buildCompiled } from './build-compiled.js';
import { writeLastCompile } from './last-compile.js';
import { writeBuild } from './write-build.js';

export interface CompileOptions {
  /**
   * Project folder; when absent, found from the pipeline file's folder upward, then from the cwd
   * (osiris_connections.yaml, osiris.yaml, $OSIRIS_HOME).
   */
  projectDir?: string;
  /** The pipeline file as the user named it, for diagnostics (default: `file`). */
  displayFile?: string;
  /** Build folder; relative paths resolve against the project folder. Default `build/<pipeline name>`. */
  outDir?: string;
  /** `--param name=value` pairs. */
  params?: Record<string, string>;
  profile?: string;
  /** Environment for OSIRIS_PARAM_* and connection lookup; defaults to process.env. */
  env?: Record<string, string | undefined>;
  registry: Registry;
  /** Connections to resolve `config.connection` against; loaded from the project when absent. */
  connections?: ConnectionsConfig;
}

export interface CompileResult {
  ok: boolean;
  diagnostics: Diagnostic[];
  /** Absolute path of the build folder written. */
  buildDir?: string;
  manifest?: Manifest;
  fingerprints?: Fingerprints;
}

/** Validate and compile an OML file into a build folder; on any problem nothing is written. */
export async function compilePipeline(options: CompileOptions & { file: string }): Promise<CompileResult> {
  const context = compileContext(options, options.file);
  const analysis = await analyzeOmlFile(options.file, {
    ...analysisOptions(options, context, options.displayFile ?? options.file),
    pipelineFile: path.resolve(options.file),
  });
  return finish(analysis, options, context);
}

/** compilePipeline for OML held in memory (the chat agent's proposals); `file` only labels diagnostics. */
export async function compileOmlText(
  text: string,
  options: CompileOptions & { file?: string },
): Promise<CompileResult> {
  const context = compileContext(options);
  return finish(analyzeOml(text, analysisOptions(options, context, options.file)), options, context);
}

interface CompileContext {
  projectDir: string;
  env: Record<string, string | undefined>;
  connections: ConnectionsConfig;
}

function compileContext(options: CompileOptions, file?: string): CompileContext {
  const env = options.env ?? process.env;
  const found =
    options.projectDir ?? (file === undefined ? undefined : findProjectDirFor(file, process.cwd(), env));
  const projectDir = path.resolve(found ?? findProjectDir(process.cwd(), env));
  const connections =
    options.connections ?? loadConnections({ cwd: projectDir, env, projectFound: found !== undefined });
  return { projectDir, env, connections };
}

function analysisOptions(options: CompileOptions, context: CompileContext, file: string | undefined) {
  return {
    ...(file === undefined ? {} : { file }),
    registry: options.registry,
    connections: context.connections,
    env: context.env,
    projectDir: context.projectDir,
    ...(options.params === undefined ? {} : { params: options.params }),
    ...(options.profile === undefined ? {} : { profile: options.profile }),
  };
}

async function finish(
  analysis: OmlAnalysis,
  options: CompileOptions,
  context: CompileContext,
): Promise<CompileResult> {
  if (!analysis.document || hasErrors(analysis.diagnostics))
    return { ok: false, diagnostics: analysis.diagnostics };
  const build = buildCompiled(
    analysis,
    options.registry,
    options.profile === undefined ? {} : { profile: options.profile },
  );
  const name = analysis.document.name;
  const buildDir = path.resolve(context.projectDir, options.outDir ?? path.join('build', name));
  await writeBuild(buildDir, build.files);
  writeLastCompile(context.projectDir, buildDir, name, build.manifest.fingerprints.manifest_fp);
  return {
    ok: true,
    diagnostics: analysis.diagnostics,
    buildDir,
    manifest: build.manifest,
    fingerprints: build.manifest.fingerprints,
  };
}
