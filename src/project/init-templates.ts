/**
 * Files `osiris init` writes. The connection examples are data so that
 * `osiris_connections.yaml` and `.env.example` always name the same variables.
 */
interface ExampleField {
  name: string;
  variable: string;
  defaultValue?: string;
}

interface ExampleConnection {
  family: string;
  alias: string;
  title: string;
  fields: ExampleField[];
}

export const EXAMPLE_CONNECTIONS: readonly ExampleConnection[] = [
  {
    family: 'mysql',
    alias: 'movies',
    title: 'MySQL or MariaDB',
    fields: [
      { name: 'host', variable: 'MYSQL_HOST', defaultValue: 'localhost' },
      { name: 'port', variable: 'MYSQL_PORT', defaultValue: '3306' },
      { name: 'database', variable: 'MYSQL_DATABASE' },
      { name: 'user', variable: 'MYSQL_USER' },
      { name: 'password', variable: 'MYSQL_PASSWORD' },
    ],
  },
  {
    family: 'postgres',
    alias: 'warehouse',
    title: 'PostgreSQL',
    fields: [
      { name: 'host', variable: 'POSTGRES_HOST', defaultValue: 'localhost' },
      { name: 'port', variable: 'POSTGRES_PORT', defaultValue: '5432' },
      { name: 'database', variable: 'POSTGRES_DATABASE' },
      { name: 'user', variable: 'POSTGRES_USER' },
      { name: 'password', variable: 'POSTGRES_PASSWORD' },
      { name: 'schema', variable: 'POSTGRES_SCHEMA', defaultValue: 'public' },
    ],
  },
  {
    family: 'supabase',
    alias: 'main',
    title: 'Supabase (project URL and service role key from Project Settings → API)',
    fields: [
      { name: 'url', variable: 'SUPABASE_URL' },
      { name: 'service_role_key', variable: 'SUPABASE_SERVICE_ROLE_KEY' },
    ],
  },
  {
    family: 'duckdb',
    alias: 'local',
    title: 'DuckDB database file (relative to this folder)',
    fields: [{ name: 'path', variable: 'DUCKDB_PATH', defaultValue: 'data/warehouse.duckdb' }],
  },
  {
    family: 'sqlite',
    alias: 'local',
    title: 'SQLite database file (relative to this folder)',
    fields: [{ name: 'path', variable: 'SQLITE_PATH', defaultValue: 'data/example.sqlite' }],
  },
];

function template(field: ExampleField): string {
  return field.defaultValue === undefined
    ? `\${${field.variable}}`
    : `\${${field.variable}:-${field.defaultValue}}`;
}

export function connectionsFileTemplate(): string {
  const examples = EXAMPLE_CONNECTIONS.map((connection) =>
    [
      `  # ${connection.title}; pipelines use it as "@${connection.family}.${connection.alias}"`,
      `  # ${connection.family}:`,
      `  #   ${connection.alias}:`,
      '  #     default: true',
      ...connection.fields.map((field) => `  #     ${field.name}: ${template(field)}`),
    ].join('\n'),
  );
  return `# Osiris connections: where your data lives.
# Pipelines refer to a connection as "@family.alias" (config: { connection: "@mysql.movies" });
# "@family" alone means the alias marked \`default: true\` (or the one named \`default\`).
#
# Keep secrets out of this file: write \${VAR} or \${VAR:-default} and set the variables in
# your shell or in .env (copy .env.example to .env; .env is git-ignored, shell values win).
#
# Uncomment an example below, then check it with:
#   osiris connections list
#   osiris connections doctor
version: 1
connections:
${examples.join('\n\n')}
`;
}

export function envExampleTemplate(): string {
  const sections = EXAMPLE_CONNECTIONS.map((connection) =>
    [
      `# ${connection.family} (@${connection.family}.${connection.alias})`,
      ...connection.fields.map((field) => `${field.variable}=${field.defaultValue ?? ''}`),
    ].join('\n'),
  );
  return `# Variables read by osiris_connections.yaml. Copy this file to .env and fill in the values:
# .env is git-ignored, and a variable set in your shell wins over .env.

${sections.join('\n\n')}
`;
}

export const EXAMPLE_PIPELINE = `# Example pipeline: read a CSV, keep the best-rated movies with DuckDB SQL, write a CSV.
#   osiris validate pipelines/example.yaml
#   osiris run pipelines/example.yaml
oml_version: "0.1.0"
name: example-top-movies
description: Read data/example.csv, keep the movies rated 8 or more and write them to output/example.csv.
steps:
  - id: read-movies
    component: filesystem.csv_extractor
    mode: read
    config:
      path: data/example.csv

  - id: top-movies
    component: duckdb.processor
    mode: transform
    needs: [read-movies]
    config:
      # input_df is the output of the single upstream step (also visible as df_read_movies).
      query: |
        select title, year, rating
        from input_df
        where rating >= 8
        order by rating desc, title

  - id: write-top-movies
    component: filesystem.csv_writer
    mode: write
    needs: [top-movies]
    config:
      path: output/example.csv
`;

export const EXAMPLE_CSV = `id,title,year,rating
1,The Shawshank Redemption,1994,9.3
2,Spirited Away,2001,8.6
3,Amelie,2001,8.3
4,The Room,2003,3.6
5,Paddington 2,2017,7.8
6,Parasite,2019,8.5
7,Cats,2019,2.8
8,Dune,2021,8.0
`;

/** Run sessions, compile output, pipeline output and local secrets stay out of git. */
export const GITIGNORE_ENTRIES: readonly string[] = ['.osiris/', 'build/', 'output/', '.env'];
