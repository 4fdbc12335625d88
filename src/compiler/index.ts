export { canonicalJson, fingerprint, formatCanonicalJson, sortKeysDeep } from '../util/canonical-json.js';
export { buildCompiled, COMPILER_NAME, type CompiledBuild, manifestFingerprint } from './build-compiled.js';
export { buildPlan } from './build-plan.js';
export {
  type CompileOptions,
  type CompileResult,
  compileOmlText,
  compilePipeline,
} from './compile-pipeline.js';
export { type LastCompile, lastCompileFile, readLastCompile } from './last-compile.js';
export { loadCompiled } from './load-compiled.js';
export { serializeManifest } from './serialize-manifest.js';
export { writeBuild } from './write-build.js';
