import { loadMoviesIntoMysql, loadMoviesIntoPostgres } from './load-movies.js';
import type { ManagedServer } from './managed-server.js';
import { findMariaDbBinaries, startMariaDb } from './mariadb-server.js';
import { findPostgresBinaries, startPostgres } from './postgres-server.js';
import { reapOrphanedServerDirectories } from './server-directory.js';
import type { DatabaseServerFacts, ServerFamily, TestServers } from './server-facts.js';

const ENV_URL: Readonly<Record<ServerFamily, string>> = {
  mysql: 'OSIRIS_TEST_MYSQL_URL',
  postgres: 'OSIRIS_TEST_POSTGRES_URL',
};
const DEFAULT_PORT: Readonly<Record<ServerFamily, number>> = { mysql: 3306, postgres: 5432 };
const URL_PROTOCOLS: Readonly<Record<ServerFamily, readonly string[]>> = {
  mysql: ['mysql:', 'mariadb:'],
  postgres: ['postgres:', 'postgresql:'],
};

/** `mysql://user:pass@host:port/db` → facts; the password may be percent-encoded. */
export function parseServerUrl(family: ServerFamily, text: string): DatabaseServerFacts {
  const url = new URL(text);
  if (!URL_PROTOCOLS[family].includes(url.protocol)) {
    throw new Error(`${ENV_URL[family]} must start with ${URL_PROTOCOLS[family].join(' or ')}//`);
  }
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (!url.username || !database) throw new Error(`${ENV_URL[family]} must name a user and a database`);
  return {
    host: url.hostname,
    port: url.port ? Number(url.port) : DEFAULT_PORT[family],
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    database,
  };
}

type Outcome = { server: ManagedServer } | { unavailable: string };

/** A server from the environment: we load the fixture into it but never stop it. */
async function adoptServer(family: ServerFamily, url: string): Promise<Outcome> {
  const facts = parseServerUrl(family, url);
  await (family === 'mysql' ? loadMoviesIntoMysql(facts) : loadMoviesIntoPostgres(facts));
  return { server: { facts, stop: async () => {} } };
}

async function provisionServer(family: ServerFamily): Promise<Outcome> {
  const url = process.env[ENV_URL[family]];
  if (url) return adoptServer(family, url);
  if (process.env.OSIRIS_TEST_SERVERS === 'none')
    return { unavailable: 'disabled by OSIRIS_TEST_SERVERS=none' };
  if (family === 'mysql') {
    const binaries = findMariaDbBinaries();
    if (!binaries)
      return { unavailable: 'mariadbd/mariadb-install-db not found (apt-get install mariadb-server)' };
    return { server: await startMariaDb(binaries) };
  }
  const binaries = findPostgresBinaries();
  if (!binaries) return { unavailable: 'PostgreSQL initdb/pg_ctl not found (apt-get install postgresql)' };
  return { server: await startPostgres(binaries) };
}

export interface RunningTestServers {
  servers: TestServers;
  stop(): Promise<void>;
}

/**
 * Start MariaDB and PostgreSQL for this test run (or adopt the ones named by
 * OSIRIS_TEST_MYSQL_URL / OSIRIS_TEST_POSTGRES_URL), each with the movies fixture loaded.
 * Missing binaries make a family unavailable; any other failure is an error.
 */
export async function startTestServers(): Promise<RunningTestServers> {
  reapOrphanedServerDirectories();
  const families: ServerFamily[] = ['mysql', 'postgres'];
  const outcomes = await Promise.allSettled(families.map((family) => provisionServer(family)));
  const started: ManagedServer[] = [];
  const servers: TestServers = { unavailable: {} };
  const failures: unknown[] = [];
  outcomes.forEach((outcome, index) => {
    const family = families[index]!;
    if (outcome.status === 'rejected') failures.push(outcome.reason);
    else if ('unavailable' in outcome.value) servers.unavailable[family] = outcome.value.unavailable;
    else {
      started.push(outcome.value.server);
      servers[family] = outcome.value.server.facts;
    }
  });
  const stop = async () => {
    await Promise.all(started.map((server) => server.stop()));
  };
  if (failures.length > 0) {
    await stop();
    throw new AggregateError(
      failures,
      `could not start test database servers: ${failures.map(String).join('; ')}`,
    );
  }
  return { servers, stop };
}
