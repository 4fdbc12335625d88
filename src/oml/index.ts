export { analyzeOml, type OmlAnalysis, type ValidateOmlOptions, validateOml } from './analyze-oml.js';
export { type OmlCode, OmlCodes, omlCodeDescriptions } from './codes.js';
export { findParamReferences, substituteParams } from './param-references.js';
export { PARAM_TYPES, type ParamType } from './param-types.js';
export { loadOmlFile, readOmlFile } from './read-oml-file.js';
export {
  type ParamProblem,
  type ParamSource,
  paramEnvName,
  type ResolvedParams,
  type ResolveParamsInput,
  resolveParams,
} from './resolve-params.js';
export { checkOmlText, decodeOmlBytes, MAX_OML_BYTES } from './source-checks.js';
export { analyzeOmlFile, validateOmlFile } from './validate-oml-file.js';
