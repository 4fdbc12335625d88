import mysql from 'mysql2/promise';
import pg from 'pg';
import { expect, it } from 'vitest';
import { moviesRows } from '../../src/demo/movies-data.js';
import { parseServerUrl } from './servers.js';
import { describeIfServers, requireTestServer, TEST_SERVER_PASSWORD } from './test-servers.js';

it('parses server URLs from the environment', () => {
  expect(parseServerUrl('mysql', 'mysql://osiris:p%40ss@127.0.0.1:3307/movies')).toEqual({
    host: '127.0.0.1',
    port: 3307,
    user: 'osiris',
    password: 'p@ss',
    database: 'movies',
  });
  expect(parseServerUrl('postgres', 'postgresql://u:p@db/movies').port).toBe(5432);
  expect(() => parseServerUrl('postgres', 'mysql://u:p@db/movies')).toThrow(/OSIRIS_TEST_POSTGRES_URL/);
});

describeIfServers('mysql', 'MariaDB test server', () => {
  it('serves the movies fixture to the osiris user', async () => {
    const facts = requireTestServer('mysql');
    expect(facts.password).toBe(TEST_SERVER_PASSWORD);
    const connection = await mysql.createConnection(facts);
    try {
      const [rows] = await connection.query<mysql.RowDataPacket[]>(
        "SELECT m.title, d.name FROM movies m JOIN directors d ON d.id = m.director_id WHERE m.title = 'Selma'",
      );
      expect(rows).toEqual([{ title: 'Selma', name: 'Ava DuVernay' }]);
      const [counts] = await connection.query<mysql.RowDataPacket[]>('SELECT COUNT(*) AS n FROM reviews');
      expect(counts[0]?.n).toBe(moviesRows('reviews').length);
      const [emoji] = await connection.query<mysql.RowDataPacket[]>(
        "SELECT COUNT(*) AS n FROM reviews WHERE comment LIKE '%🍿%'",
      );
      expect(emoji[0]?.n).toBeGreaterThan(0);
    } finally {
      await connection.end();
    }
  });

  it('rejects a wrong password', async () => {
    const facts = requireTestServer('mysql');
    await expect(mysql.createConnection({ ...facts, password: 'wrong' })).rejects.toMatchObject({
      code: 'ER_ACCESS_DENIED_ERROR',
    });
  });
});

describeIfServers('postgres', 'PostgreSQL test server', () => {
  it('serves the movies fixture to the osiris user', async () => {
    const client = new pg.Client(requireTestServer('postgres'));
    await client.connect();
    try {
      const result = await client.query(
        "SELECT m.title, d.name FROM movies m JOIN directors d ON d.id = m.director_id WHERE m.title = 'Selma'",
      );
      expect(result.rows).toEqual([{ title: 'Selma', name: 'Ava DuVernay' }]);
      const counts = await client.query('SELECT COUNT(*)::int AS n FROM movie_actors');
      expect(counts.rows[0].n).toBe(moviesRows('movie_actors').length);
    } finally {
      await client.end();
    }
  });

  it('checks passwords over TCP', async () => {
    const client = new pg.Client({ ...requireTestServer('postgres'), password: 'wrong' });
    await expect(client.connect()).rejects.toMatchObject({ code: '28P01' });
  });
});
