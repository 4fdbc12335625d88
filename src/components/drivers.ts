import type { Driver } from '../spec/driver.js';

/**
 * Component name → lazy driver loader. The import paths are static so the bundle is known at
 * build time; the import happens only when a step of that component runs.
 */
export const driverLoaders: Readonly<Record<string, () => Promise<Driver>>> = {
  'mysql.extractor': () => import('./mysql/extractor.driver.js').then((m) => m.driver),
  'mysql.writer': () => import('./mysql/writer.driver.js').then((m) => m.driver),
  'postgres.extractor': () => import('./postgres/extractor.driver.js').then((m) => m.driver),
  'postgres.writer': () => import('./postgres/writer.driver.js').then((m) => m.driver),
  'supabase.extractor': () => import('./supabase/extractor.driver.js').then((m) => m.driver),
  'supabase.writer': () => import('./supabase/writer.driver.js').then((m) => m.driver),
  'duckdb.processor': () => import('./duckdb/processor.driver.js').then((m) => m.driver),
  'duckdb.extractor': () => import('./duckdb/extractor.driver.js').then((m) => m.driver),
  'sqlite.extractor': () => import('./sqlite/extractor.driver.js').then((m) => m.driver),
  'filesystem.csv_extractor': () => import('./filesystem/csv-extractor.driver.js').then((m) => m.driver),
  'filesystem.csv_writer': () => import('./filesystem/csv-writer.driver.js').then((m) => m.driver),
  'filesystem.parquet_writer': () => import('./filesystem/parquet-writer.driver.js').then((m) => m.driver),
  'filesystem.json_writer': () => import('./filesystem/json-writer.driver.js').then((m) => m.driver),
  'rest.extractor': () => import('./rest/extractor.driver.js').then((m) => m.driver),
  'graphql.extractor': () => import('./graphql/extractor.driver.js').then((m) => m.driver),
  'posthog.extractor': () => import('./posthog/extractor.driver.js').then((m) => m.driver),
};
