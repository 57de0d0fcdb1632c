/**
 * Reads a V8 CPU profile (`node --cpu-prof`) and adds up self time by owner: each npm package,
 * each folder of this repository, Node's own modules, garbage collection. It says where a run's
 * CPU went without reading a flame graph.
 */

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface CpuShare {
  owner: string;
  ms: number;
  /** Of all sampled time, 0…1. */
  share: number;
}

/** Who owns a frame: `markdown-it`, `@11ty/eleventy`, `core/content`, `Node.js`, `garbage collection`. */
export function ownerOf(functionName: string, url: string, repoRoot: string): string {
  if (functionName === '(garbage collector)') return 'garbage collection';
  if (functionName === '(idle)') return 'idle (waiting for I/O or threads)';
  if (functionName === '(program)' || functionName === '(root)') return 'V8 itself (compiling, runtime)';
  // The innermost package: a dependency bundled inside another is its own owner.
  const pkg = [...url.matchAll(/node_modules\/((?:@[^/]+\/)?[^/]+)\//g)].at(-1)?.[1];
  if (pkg) return pkg;
  const root = repoRoot.endsWith('/') ? repoRoot : `${repoRoot}/`;
  const local = url.replace(/^file:\/\//, '');
  if (local.startsWith(root)) {
    const parts = local.slice(root.length).split('/');
    return parts.length > 2 ? parts.slice(0, 2).join('/') : parts.join('/');
  }
  if (url.startsWith('node:') || url === '') return 'Node.js (built-in modules, native code)';
  return url;
}

/** Self time per owner, largest first. */
export function cpuByOwner(profileJson: string, repoRoot: string): CpuShare[] {
  const profile = JSON.parse(profileJson) as CpuProfile;
  const owners = new Map<number, string>();
  for (const node of profile.nodes) {
    owners.set(node.id, ownerOf(node.callFrame.functionName, node.callFrame.url, repoRoot));
  }
  const totals = new Map<string, number>();
  let all = 0;
  profile.samples.forEach((id, i) => {
    const us = profile.timeDeltas[i] ?? 0;
    const owner = owners.get(id) ?? 'unknown';
    totals.set(owner, (totals.get(owner) ?? 0) + us);
    all += us;
  });
  return [...totals]
    .map(([owner, us]) => ({ owner, ms: us / 1000, share: all === 0 ? 0 : us / all }))
    .sort((a, b) => b.ms - a.ms);
}
