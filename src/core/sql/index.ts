// SQL cells: connections from front matter, statement splitting, drivers (sqlite3 CLI, pg, mysql2),
// result tables and the executor.
export { SqlExecutor, DEFAULT_ROW_CAP, type SqlExecutorOptions } from './executor.js';
export { localCommandRunner, type CommandResult, type CommandRunner } from './commandRunner.js';
export { parseServerUrl, SqlConfigError, type ConnectionConfig, type ServerAddress } from './connection.js';
export { sqlDangers } from './dangers.js';
export { splitStatements, firstKeyword, lineCol, type SqlDialect, type SqlStatement } from './split.js';
export { escapeCell, markdownTable, moreRowsMarker, DEFAULT_MAX_CELL_CHARS } from './table.js';
export { failureOutput, resultOutputs, type FormatContext } from './format.js';
export type { SqlColumn, SqlFailure, SqlValue, StatementResult } from './types.js';
export type { Connect, Forward } from '../http/tunnel.js';
