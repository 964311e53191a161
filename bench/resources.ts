// What the parked-scale scenario reads off the machine: memory of process trees, size on disk.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const MB = 1048576;
const round1 = (n: number) => Math.round(n * 10) / 10;

/**
 * Memory of `pid` and every process below it (PostgreSQL is a postmaster and its backends), in MB.
 * PSS, not RSS: shared memory (PostgreSQL's shared_buffers) is counted once across the tree, not per process.
 */
export function treeMemoryMb(pid: number | undefined): number | null {
  if (!pid) return null;
  const parentOf = new Map<number, number>();
  for (const entry of readdirSync('/proc').filter((e) => /^\d+$/.test(e))) {
    try {
      // Fields after the parenthesised command name: state, ppid, …
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      parentOf.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch { /* gone meanwhile */ }
  }
  const tree = new Set([pid]);
  for (let grew = true; grew;) {
    grew = false;
    for (const [child, parent] of parentOf) if (tree.has(parent) && !tree.has(child)) { tree.add(child); grew = true; }
  }
  let kb = 0;
  for (const p of tree) {
    try { kb += Number(/^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${p}/smaps_rollup`, 'utf8'))?.[1] ?? 0); } catch { /* gone */ }
  }
  return Math.round(kb / 1024);
}

/** Bytes under `paths` (files, or folders walked recursively), in MB; missing paths count 0. */
export function diskMb(...paths: string[]): number {
  const size = (p: string): number => {
    try {
      const s = statSync(p);
      return s.isDirectory() ? readdirSync(p).reduce((sum, e) => sum + size(path.join(p, e)), 0) : s.size;
    } catch { return 0; }
  };
  return round1(paths.reduce((sum, p) => sum + size(p), 0) / MB);
}
