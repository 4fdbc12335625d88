import type { TableProfile } from '../types.js';

/** What the catalog queries of one family found: the profile minus samples. */
export interface CatalogSnapshot {
  schemas: string[];
  tables: TableProfile[];
  warnings: string[];
}
