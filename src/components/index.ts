import { duckdbFamily } from './duckdb/family.js';
import { filesystemFamily } from './filesystem/family.js';
import { graphqlFamily } from './graphql/family.js';
import { mysqlFamily } from './mysql/family.js';
import { postgresFamily } from './postgres/family.js';
import { posthogFamily } from './posthog/family.js';
import { restFamily } from './rest/family.js';
import type { FamilyDefinition } from './shared/family-definition.js';
import { sqliteFamily } from './sqlite/family.js';
import { supabaseFamily } from './supabase/family.js';

export type { FamilyDefinition } from './shared/family-definition.js';

/**
 * Every technology Osiris ships, in one list: adding a family means a folder under components/
 * exporting its definition, and a line here.
 */
export const builtinFamilies: readonly FamilyDefinition[] = [
  mysqlFamily,
  postgresFamily,
  supabaseFamily,
  duckdbFamily,
  sqliteFamily,
  filesystemFamily,
  restFamily,
  graphqlFamily,
  posthogFamily,
];
