import type { ComponentSpec } from '../spec/component.js';
import { duckdbExtractorSpec } from './duckdb/extractor.spec.js';
import { duckdbProcessorSpec } from './duckdb/processor.spec.js';
import { csvExtractorSpec } from './filesystem/csv-extractor.spec.js';
import { csvWriterSpec } from './filesystem/csv-writer.spec.js';
import { jsonWriterSpec } from './filesystem/json-writer.spec.js';
import { parquetWriterSpec } from './filesystem/parquet-writer.spec.js';
import { graphqlExtractorSpec } from './graphql/extractor.spec.js';
import { mysqlExtractorSpec } from './mysql/extractor.spec.js';
import { mysqlWriterSpec } from './mysql/writer.spec.js';
import { postgresExtractorSpec } from './postgres/extractor.spec.js';
import { postgresWriterSpec } from './postgres/writer.spec.js';
import { posthogExtractorSpec } from './posthog/extractor.spec.js';
import { restExtractorSpec } from './rest/extractor.spec.js';
import { sqliteExtractorSpec } from './sqlite/extractor.spec.js';
import { supabaseExtractorSpec } from './supabase/extractor.spec.js';
import { supabaseWriterSpec } from './supabase/writer.spec.js';

/** Every built-in component spec, in one list. */
export const builtinSpecs: readonly ComponentSpec[] = [
  mysqlExtractorSpec,
  mysqlWriterSpec,
  postgresExtractorSpec,
  postgresWriterSpec,
  supabaseExtractorSpec,
  supabaseWriterSpec,
  duckdbProcessorSpec,
  duckdbExtractorSpec,
  sqliteExtractorSpec,
  csvExtractorSpec,
  csvWriterSpec,
  parquetWriterSpec,
  jsonWriterSpec,
  restExtractorSpec,
  graphqlExtractorSpec,
  posthogExtractorSpec,
];
