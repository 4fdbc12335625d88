import mysql from 'mysql2/promise';
import pg from 'pg';
import { moviesSql } from '../../src/demo/movies-data.js';
import type { DatabaseServerFacts } from './server-facts.js';

/** (Re)create the movies tables in `facts.database`, connecting as the test user. */
export async function loadMoviesIntoMysql(facts: DatabaseServerFacts): Promise<void> {
  const connection = await mysql.createConnection({ ...facts, charset: 'utf8mb4' });
  try {
    for (const statement of moviesSql('mysql', { dropExisting: true })) await connection.query(statement);
  } finally {
    await connection.end();
  }
}

export async function loadMoviesIntoPostgres(facts: DatabaseServerFacts): Promise<void> {
  const client = new pg.Client(facts);
  await client.connect();
  try {
    await client.query('BEGIN');
    for (const statement of moviesSql('postgres', { dropExisting: true })) await client.query(statement);
    await client.query('COMMIT');
  } finally {
    await client.end();
  }
}
