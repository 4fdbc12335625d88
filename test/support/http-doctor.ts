import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { builtins } from '../../src/composition/builtins.js';
import { type DoctorResult, loadConnections, runConnectionsDoctor } from '../../src/connections/index.js';

/**
 * `osiris connections doctor` on one connection written as YAML (`family: { alias: {…} }` under
 * `connections:`), the way a user runs it; the planted secrets go through the environment.
 */
export async function doctorCheck(
  connectionsYaml: string,
  env: Record<string, string>,
): Promise<DoctorResult> {
  const dir = await mkdtemp(join(tmpdir(), 'osiris-http-doctor-'));
  await writeFile(join(dir, 'osiris_connections.yaml'), `version: 1\nconnections:\n${connectionsYaml}`);
  const config = loadConnections({ cwd: dir, env });
  const report = await runConnectionsDoctor(config, { probes: builtins.doctorProbes, timeoutMs: 10_000 });
  for (const secret of Object.values(env)) {
    if (JSON.stringify(report).includes(secret)) throw new Error('the doctor report holds a planted secret');
  }
  return report.results[0]!;
}
