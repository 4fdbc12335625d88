import { findProjectDir } from '../project/find-project-dir.js';
import { AuditLog } from './audit-log.js';

/** What every tool, resource and prompt of one server works against. */
export interface McpContext {
  /** Absolute project folder: every path a tool reads or writes stays inside it. */
  projectDir: string;
  /** Environment for `${VAR}` templates and OSIRIS_PARAM_*; secrets are resolved from it in this process only. */
  env: Record<string, string | undefined>;
  audit: AuditLog;
}

/** The project is fixed when the server starts (`$OSIRIS_HOME`, else found from the cwd). */
export function createMcpContext(options: {
  cwd: string;
  env: Record<string, string | undefined>;
}): McpContext {
  const projectDir = findProjectDir(options.cwd, options.env);
  return { projectDir, env: options.env, audit: new AuditLog(projectDir) };
}
