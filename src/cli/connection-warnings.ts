import path from 'node:path';
import pc from 'picocolors';
import type { ConnectionsConfig } from '../connections/types.js';

let warned = false;

/**
 * Warn, once per command, when osiris_connections.yaml holds a secret as plain text, with the
 * `${VAR}` form as the hint. On stderr, so `--json` output stays clean. Never prints a value.
 */
export async function warnPlaintextSecrets(config: ConnectionsConfig | undefined): Promise<void> {
  if (warned || !config?.file || config.connections.length === 0) return;
  const { findPlaintextSecrets } = await import('../connections/plaintext-secrets.js');
  const { secretNamesFromSpecs } = await import('../connections/secret-fields.js');
  const { projectSpecs } = await import('../composition/project-specs.js');
  const found = findPlaintextSecrets(config, secretNamesFromSpecs(projectSpecs(config.projectDir).specs));
  if (found.length === 0) return;
  warned = true;
  const file = path.relative(process.cwd(), config.file) || config.file;
  const listed = found
    .map(
      (secret) => `${secret.ref} ${secret.field}${secret.line === undefined ? '' : ` (line ${secret.line})`}`,
    )
    .join(', ');
  const first = found[0]!;
  process.stderr.write(
    `${pc.yellow('warning')} ${file} holds ${found.length === 1 ? 'a secret' : `${found.length} secrets`} as plain text: ${listed}\n` +
      `  ${pc.cyan('hint:')} write \`${first.field}: \${${first.suggestedVariable}}\` and set ${first.suggestedVariable} in your shell or in ${path.join(path.dirname(file), '.env')} (keep .env out of git)\n`,
  );
}
