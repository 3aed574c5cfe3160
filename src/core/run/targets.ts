// Resolving a cell's target name. `local` is always there; remote hosts come from a resolver that the SSH
// layer provides (front matter `hosts:` and ~/.ssh/config).
import type { FrontMatter } from '../format/frontMatter.js';
import { LOCAL, localTarget } from './localTarget.js';
import type { ResolvedTarget } from '../contract/types.js';

export type RemoteResolver = (name: string, frontMatter: FrontMatter | undefined) => ResolvedTarget;

export function targetResolver(remote?: RemoteResolver): (name: string, fm: FrontMatter | undefined) => ResolvedTarget {
  const local = localTarget();
  return (name, fm) => {
    if (name === LOCAL || name === '') return local;
    if (!remote) {
      const known = fm?.hosts && name in fm.hosts;
      throw new Error(known ? 'running on SSH hosts is not available in this build' : `unknown host "${name}" (not in the front matter hosts)`);
    }
    return remote(name, fm);
  };
}
