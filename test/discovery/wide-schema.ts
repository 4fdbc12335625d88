/**
 * A generated schema of many small tables (`wide_001`, `wide_002`, …), each with a primary key,
 * a text column, an index, two rows and a foreign key to the table before it: the shape used
 * to show that discovery costs a handful of catalog queries, not a few per table.
 */
export type WideDialect = 'mysql' | 'postgres';

export function wideTableName(index: number): string {
  return `wide_${String(index).padStart(3, '0')}`;
}

export function wideSchemaSql(dialect: WideDialect, tableCount: number): string[] {
  const quote = (name: string) => (dialect === 'mysql' ? `\`${name}\`` : `"${name}"`);
  const statements: string[] = [];
  for (let index = 1; index <= tableCount; index += 1) {
    const name = wideTableName(index);
    const reference =
      index > 1
        ? `,\n  FOREIGN KEY (${quote('parent_id')}) REFERENCES ${quote(wideTableName(index - 1))} (${quote('id')})`
        : '';
    statements.push(
      `CREATE TABLE ${quote(name)} (\n  ${quote('id')} INTEGER NOT NULL,\n  ${quote('label')} VARCHAR(40) NOT NULL,\n` +
        `  ${quote('amount')} DECIMAL(10,2),\n  ${quote('parent_id')} INTEGER,\n  PRIMARY KEY (${quote('id')})${reference}\n)`,
      `CREATE INDEX ${quote(`${name}_label`)} ON ${quote(name)} (${quote('label')})`,
      `INSERT INTO ${quote(name)} VALUES (1, 'first of ${name}', 1.50, 1), (2, 'second of ${name}', NULL, NULL)`,
    );
  }
  return statements;
}
