export { type AuditEntry, AuditLog, auditLogFile } from './audit-log.js';
export { AuditedTransport } from './audited-transport.js';
export {
  CLIENT_CONFIG_FILES,
  MCP_CLIENTS,
  type McpClient,
  mcpClientConfig,
  type ServerLaunch,
} from './client-config.js';
export { createOsirisMcpServer } from './create-osiris-mcp-server.js';
export { createMcpContext, type McpContext } from './mcp-context.js';
export { buildOmlGuide } from './oml-guide.js';
export { omlJsonSchema } from './oml-json-schema.js';
export { OML_PROMPT_NAME } from './register-prompts.js';
export { MCP_HTTP_PATH, type McpHttpServer, serveHttp } from './serve-http.js';
export { serveStdio } from './serve-stdio.js';
export { osirisTools } from './tools/index.js';
