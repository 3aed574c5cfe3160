// Persistent shell sessions: one framing and session over a transport (local here, SSH in core/ssh/sshTransport.ts).
export { ShellSession } from './session.js';
export type { CellResult, RunOptions, ShellSessionOptions } from './types.js';
export type { ShellTransport, TransportExit, TransportFactory } from './transport.js';
export { localTransport, type LocalTransportOptions } from './localTransport.js';
export { CANCEL_SIGNAL, cellScript, initScript, newMarkerPrefix, parseMarkerBody, type CellScriptOptions, type Marker } from './framing.js';
export { MarkerScanner, type ScanItem } from './markerScanner.js';
export { CappedText, cutMarker, type CappedResult } from './cappedText.js';
export { exportLines, isShellName, quoteShell } from './quote.js';
export { killShellTree, listProcesses, selectShellProcesses, signalPids, type ProcInfo, type Selection } from './processTree.js';
