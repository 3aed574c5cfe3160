// SSH targets: ~/.ssh/config and known_hosts, target resolution (front matter hosts, aliases, jump hosts),
// shared ssh2 connections (exec, port forwarding) and the remote shell transport for ShellSession.
export { parseSshConfig, resolveSshHost, parseJumpSpec, fsIncludeReader, splitArgs, type SshConfig, type SshConfigItem, type SshConfigParseOptions, type SshHostConfig, type SshResolveContext, type JumpSpec, type IncludedFile } from './sshConfig.js';
export {
  parseKnownHosts,
  checkHostKey,
  knownHostName,
  knownHostsLine,
  appendKnownHost,
  readKnownHostsFiles,
  fingerprintSha256,
  blobKeyType,
  entryMatchesHost,
  knownKeyTypes,
  type KnownHostEntry,
  type HostKeyStatus,
  type HostKeyCheck,
} from './knownHosts.js';
export { resolveTarget, defaultTargetEnv, readUserSshConfig, hopChain, hopKey, hopLabel, type SshHop, type SshTargetSettings, type TargetEnv, type FrontMatterHosts } from './targets.js';
export { SshConnection, type SshAsk, type SshConnectionOptions, type ExecOptions, type ExecResult } from './connection.js';
export { SshPool } from './pool.js';
export { PassphraseCache } from './passphrases.js';
export { SshError, type SshErrorKind } from './errors.js';
export type { HostKeyQuestion } from './hostKeyPolicy.js';
export type { LocalForward } from './forward.js';
export { sshTransport, type SshTransportOptions } from './sshTransport.js';
export { matchPatternList } from './patterns.js';
