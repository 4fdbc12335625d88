import { Ajv2020, type Options } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

/**
 * An ajv instance for JSON Schema draft 2020-12 with the standard formats (`date`, `uri`, ...).
 * ajv-formats is CommonJS; under NodeNext its default export is the module object, so the plugin
 * is reached through `.default` (which Node's interop also provides at run time).
 */
export function createAjv(options: Options): Ajv2020 {
  const ajv = new Ajv2020(options);
  addFormats.default(ajv);
  return ajv;
}
