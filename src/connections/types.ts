/** One alias of `osiris_connections.yaml` exactly as written: `${VAR}` templates are kept. */
export interface RawConnection {
  family: string;
  alias: string;
  isDefault: boolean;
  /** Every field except `default`, unresolved. */
  fields: Record<string, unknown>;
  /** Absolute path of the file the connection was read from. */
  file: string;
  /** 1-based line of the alias key, when read from a file; used to point users at it. */
  line?: number;
}

export interface ConnectionsConfig {
  /** Absolute path of the connections file; undefined when none was found. */
  file?: string;
  /** Folder of the connections file, else the cwd the lookup started from. */
  projectDir: string;
  connections: RawConnection[];
  /** Process environment overlaid on the project's `.env` (process values win). */
  env: Record<string, string | undefined>;
}
