import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { ErrorCodes, OsirisError } from '../../../spec/errors.js';
import type { ProjectInputFile } from './project-input-files.js';
import type { RemoteSandbox, SandboxCommandResult } from './sandbox-api.js';
import { shellQuote } from './shell-quote.js';
import type { WorkerBundle } from './worker-bundle.js';

/** What the adapter needs to know about a fresh sandbox, learnt in one round trip. */
export interface SandboxFacts {
  home: string;
  /** `undefined` when the template has no `node` on its PATH. */
  node?: { platform: string; arch: string; modulesAbi: string; version: string };
  /** Id of the worker bundle already in the sandbox for this version (baked into the template). */
  installedBundleId?: string;
}

/** Remote layout, under the sandbox user's home. */
export const workerDirOf = (home: string, version: string) => `${home}/.osiris/worker/${version}`;
export const runDirOf = (home: string, runId: string) => `${home}/.osiris/runs/${runId}`;

const SAFE_NAME = /^[\w.+-]+$/;

/** Learns HOME, the Node.js runtime and any installed bundle, and creates the run folder. */
export async function probeSandbox(
  sandbox: RemoteSandbox,
  version: string,
  runId: string,
): Promise<SandboxFacts> {
  if (!SAFE_NAME.test(version) || !SAFE_NAME.test(runId)) {
    throw new OsirisError(
      ErrorCodes.INTERNAL,
      `Unexpected characters in version '${version}' or run id '${runId}'.`,
    );
  }
  const nodeFacts = `node -e 'console.log([process.platform, process.arch, process.versions.modules, process.version].join(" "))'`;
  const result = await sandbox.commands.run(
    [
      `mkdir -p "$HOME/.osiris/runs/${runId}/project"`,
      `printf '%s\\n' "$HOME"`,
      `(${nodeFacts} 2>/dev/null || echo no-node)`,
      `(cat "$HOME/.osiris/worker/${version}/.bundle-id" 2>/dev/null; echo)`,
    ].join(' && '),
  );
  const [home, node, installed] = result.stdout.split('\n').map((line) => line.trim());
  if (result.exitCode !== 0 || !home) throw setupFailed('inspect the sandbox', result);
  const [platform, arch, modulesAbi, nodeVersion] = (node ?? '').split(' ');
  return {
    home,
    ...(platform && arch && modulesAbi && nodeVersion && node !== 'no-node'
      ? { node: { platform, arch, modulesAbi, version: nodeVersion } }
      : {}),
    ...(installed ? { installedBundleId: installed } : {}),
  };
}

/**
 * Makes the worker bundle of this version present in the sandbox and returns its folder. The
 * bundle is uploaded once per sandbox and skipped when the template already holds this exact
 * build; when this machine cannot build a bundle for the sandbox's platform, a bundle of the
 * same version baked into the template is used.
 */
export async function installWorkerBundle(
  sandbox: RemoteSandbox,
  facts: SandboxFacts,
  bundle: WorkerBundle,
  report: (message: string) => void,
): Promise<string> {
  const node = facts.node;
  if (!node) {
    throw new OsirisError(
      ErrorCodes.ADAPTER_UNAVAILABLE,
      'The E2B sandbox has no Node.js, which the Osiris worker needs.',
      {
        hint: 'Use a template with Node.js 20 or newer: --e2b-template <name> (see the e2b adapter README for a ready template).',
      },
    );
  }
  const target = workerDirOf(facts.home, bundle.version);
  if (facts.installedBundleId === bundle.id) return target;
  const samePlatform = node.platform === bundle.platform && node.arch === bundle.arch;
  if (!samePlatform) {
    if (facts.installedBundleId) {
      report(
        `using the worker bundle ${facts.installedBundleId} baked into the template (this machine is ${bundle.platform}-${bundle.arch})`,
      );
      return target;
    }
    throw new OsirisError(
      ErrorCodes.ADAPTER_UNAVAILABLE,
      `The worker bundle is built from this machine's packages (${bundle.platform}-${bundle.arch}), but the sandbox runs ${node.platform}-${node.arch}; native modules such as DuckDB cannot cross platforms.`,
      {
        hint: `Bake osiris-etl ${bundle.version} into an E2B template (see the e2b adapter README) and pass --e2b-template.`,
      },
    );
  }
  if (node.modulesAbi !== bundle.modulesAbi) {
    report(
      `the sandbox runs Node.js ${node.version} (ABI ${node.modulesAbi}) but the bundle was built for ABI ${bundle.modulesAbi}; sqlite.extractor may fail to load (DuckDB is unaffected)`,
    );
  }
  report(`uploading the worker bundle ${bundle.id}`);
  const upload = `${target}.upload-${bundle.id}.tar.gz`;
  await sandbox.files.write(upload, webStreamOf(bundle.archive));
  const staging = `${target}.staging-${bundle.id}`;
  const install = await sandbox.commands.run(
    [
      `rm -rf ${shellQuote(staging)}`,
      `mkdir -p ${shellQuote(staging)}`,
      `tar xzf ${shellQuote(upload)} -C ${shellQuote(staging)}`,
      `rm -f ${shellQuote(upload)}`,
      `printf '%s' ${shellQuote(bundle.id)} > ${shellQuote(`${staging}/.bundle-id`)}`,
      `rm -rf ${shellQuote(target)}`,
      `mv ${shellQuote(staging)} ${shellQuote(target)}`,
    ].join(' && '),
    { timeoutMs: 10 * 60_000 },
  );
  if (install.exitCode !== 0) throw setupFailed('unpack the worker bundle', install);
  return target;
}

/** Uploads the input files, streamed, to the same project-relative paths under `remoteProject`. */
export async function uploadInputs(
  sandbox: RemoteSandbox,
  remoteProject: string,
  files: ProjectInputFile[],
): Promise<void> {
  for (const file of files) {
    await sandbox.files.write(`${remoteProject}/${file.path}`, webStreamOf(file.absolute));
  }
}

function webStreamOf(file: string): ReadableStream<Uint8Array> {
  return Readable.toWeb(createReadStream(file)) as unknown as ReadableStream<Uint8Array>;
}

function setupFailed(what: string, result: SandboxCommandResult): OsirisError {
  const tail = result.stderr.trim().split('\n').slice(-3).join(' | ');
  return new OsirisError(
    ErrorCodes.ADAPTER_UNAVAILABLE,
    `Could not ${what} in the E2B sandbox (exit code ${result.exitCode}).`,
    {
      hint: tail ? `The sandbox said: ${tail}` : 'Rerun with --verbose; check the template (--e2b-template).',
      details: { exit_code: result.exitCode },
    },
  );
}
