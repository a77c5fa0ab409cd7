/**
 * How many CPUs this process may really use: the scheduler affinity (`availableParallelism`) capped by a cgroup v2
 * CPU quota (`/sys/fs/cgroup/cpu.max`, as containers and CI sandboxes set it). A container that shows the host's 64
 * CPUs but grants 2 would otherwise get 64 spinning ONNX Runtime threads per session, and every job would crawl.
 * No onnxruntime import here, so light commands can size their worker pools without loading it.
 */
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';

/** The cgroup v2 quota in CPUs (rounded up), or undefined when there is none or it cannot be read. */
export function cgroupCpuQuota(text?: string): number | undefined {
  let line = text;
  if (line === undefined) {
    try {
      line = readFileSync('/sys/fs/cgroup/cpu.max', 'utf8');
    } catch {
      return undefined;
    }
  }
  const [quota, period] = line.trim().split(/\s+/);
  const q = Number(quota);
  const p = Number(period);
  if (quota === 'max' || !Number.isFinite(q) || !Number.isFinite(p) || q <= 0 || p <= 0) return undefined;
  return Math.max(1, Math.ceil(q / p));
}

/** CPUs this process may use: affinity capped by the cgroup quota. */
export function usableCpus(): number {
  const quota = cgroupCpuQuota();
  return Math.max(1, Math.min(availableParallelism(), quota ?? Infinity));
}

/** Physical cores (distinct core ids on Linux, else logical CPUs), never more than `usableCpus()`. */
export function physicalCores(): number {
  const usable = usableCpus();
  try {
    const cores = new Set<string>();
    let phys = '0';
    for (const line of readFileSync('/proc/cpuinfo', 'utf8').split('\n')) {
      const [k, v] = line.split(':').map((s) => s.trim());
      if (k === 'physical id') phys = v;
      if (k === 'core id') cores.add(`${phys}:${v}`);
    }
    if (cores.size > 0) return Math.min(cores.size, usable);
  } catch {
    // Not Linux: fall through to the logical count.
  }
  return usable;
}
