// What the parked-scale scenario reads off the machine: memory of process trees, size on disk.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const MB = 1048576;
const round1 = (n: number) => Math.round(n * 10) / 10;

/** `pid` and every process below it. */
function processTree(pid: number): Set<number> {
  const parentOf = new Map<number, number>();
  for (const entry of readdirSync('/proc').filter((e) => /^\d+$/.test(e))) {
    try {
      parentOf.set(Number(entry), Number(statFields(Number(entry))[1]));
    } catch { /* gone meanwhile */ }
  }
  const tree = new Set([pid]);
  for (let grew = true; grew;) {
    grew = false;
    for (const [child, parent] of parentOf) if (tree.has(parent) && !tree.has(child)) { tree.add(child); grew = true; }
  }
  return tree;
}

/** The fields of /proc/<pid>/stat after the parenthesised command name: state, ppid, … */
function statFields(pid: number): string[] {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

const TICKS_PER_SECOND = 100; // USER_HZ, 100 on Linux

/** CPU time (user + system) used so far by `pid` and the live processes below it, in ms. */
export function treeCpuMs(pid: number | undefined): number {
  if (!pid) return 0;
  let ticks = 0;
  for (const p of processTree(pid)) {
    try {
      const f = statFields(p); // utime and stime are fields 14 and 15 of stat, 12 and 13 here
      ticks += Number(f[11]) + Number(f[12]);
    } catch { /* gone */ }
  }
  return (ticks * 1000) / TICKS_PER_SECOND;
}

/**
 * Memory of `pid` and every process below it (PostgreSQL is a postmaster and its backends), in MB.
 * PSS, not RSS: shared memory (PostgreSQL's shared_buffers) is counted once across the tree, not per process.
 */
export function treeMemoryMb(pid: number | undefined): number | null {
  if (!pid) return null;
  const tree = processTree(pid);
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
