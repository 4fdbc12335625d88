import type { Driver } from '../spec/driver.js';

/**
 * Component name → lazy driver loader. The import paths are static so the bundle is known at
 * build time; the import happens only when a step of that component runs.
 */
export const driverLoaders: Readonly<Record<string, () => Promise<Driver>>> = {
  'mysql.extractor': () => import('./mysql/extractor.driver.js').then((m) => m.driver),
  'mysql.writer': () => import('./mysql/writer.driver.js').then((m) => m.driver),
};
