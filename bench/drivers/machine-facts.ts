import { readFileSync } from 'node:fs';
import { availableParallelism, totalmem } from 'node:os';
import mysql from 'mysql2/promise';
import pg from 'pg';
import type { TestServers } from '../../test/setup/server-facts.js';

export interface MachineFacts {
  cpus: number;
  cpuModel: string;
  memoryGigabytes: number;
  node: string;
  mariadb?: string;
  postgres?: string;
}

/** The 1, 5 and 15 minute load averages: the machine is shared, so figures need this next to them. */
export function loadAverage(): string {
  try {
    return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  } catch {
    return 'unknown';
  }
}

function cpuModel(): string {
  try {
    const match = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    return match?.[1]?.trim() ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

export async function describeMachine(servers: TestServers): Promise<MachineFacts> {
  const facts: MachineFacts = {
    cpus: availableParallelism(),
    cpuModel: cpuModel(),
    memoryGigabytes: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
  };
  if (servers.mysql) {
    const connection = await mysql.createConnection({ ...servers.mysql });
    try {
      const [rows] = await connection.query('SELECT VERSION() AS version');
      facts.mariadb = String((rows as Array<{ version: string }>)[0]?.version);
    } finally {
      await connection.end();
    }
  }
  if (servers.postgres) {
    const client = new pg.Client({ ...servers.postgres });
    await client.connect();
    try {
      facts.postgres = (
        await client.query<{ server_version: string }>('SHOW server_version')
      ).rows[0]?.server_version;
    } finally {
      await client.end();
    }
  }
  return facts;
}

export function renderMachine(facts: MachineFacts): string {
  return [
    `machine: ${facts.cpus} CPUs (${facts.cpuModel}), ${facts.memoryGigabytes} GB RAM, Node ${facts.node}`,
    `servers: MariaDB ${facts.mariadb ?? '-'}, PostgreSQL ${facts.postgres ?? '-'}`,
  ].join('\n');
}
