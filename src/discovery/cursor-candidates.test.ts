import { describe, expect, it } from 'vitest';
import { CatalogAssembler } from './catalog/catalog-assembler.js';

describe('discovery marks likely incremental cursors', () => {
  it('puts updated_at-like timestamps first, then created_at-like ones, then an integer primary key', () => {
    const catalog = new CatalogAssembler();
    catalog.addTable('shop', 'orders', 'table', 10);
    for (const [name, type] of [
      ['id', 'bigint'],
      ['note', 'varchar(20)'],
      ['created_at', 'datetime(6)'],
      ['modified_at', 'timestamp with time zone'],
      ['updated', 'text'],
    ] as const)
      catalog.addColumn('shop', 'orders', { name, type, nullable: false, default: null });
    catalog.setPrimaryKey('shop', 'orders', ['id']);
    catalog.addTable('shop', 'notes', 'table', 1);
    catalog.addColumn('shop', 'notes', { name: 'slug', type: 'varchar(10)', nullable: false, default: null });
    catalog.setPrimaryKey('shop', 'notes', ['slug']);
    const [notes, orders] = catalog.tables();
    expect(orders?.cursor_candidates).toEqual(['modified_at', 'created_at', 'id']);
    expect(notes?.cursor_candidates).toBeUndefined();
  });
});
