// The environment a local shell gets inside VS Code: the user's, minus what only makes sense to the
// editor's own processes (an inherited ELECTRON_RUN_AS_NODE would turn a `code` launched from a cell into
// plain Node, VSCODE_* variables point at the extension host's IPC).
export function cleanEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(env)) {
    if (k === 'ELECTRON_RUN_AS_NODE' || k.startsWith('VSCODE_') || k === 'ELECTRON_NO_ATTACH_CONSOLE') continue;
    out[k] = v;
  }
  return out;
}
