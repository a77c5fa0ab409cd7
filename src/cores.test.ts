import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { cgroupCpuQuota, physicalCores, usableCpus } from './cores.ts';

describe('usable CPUs', () => {
  it('reads a cgroup v2 cpu.max quota in whole CPUs, rounded up', () => {
    expect(cgroupCpuQuota('200000 100000\n')).toBe(2);
    expect(cgroupCpuQuota('150000 100000')).toBe(2);
    expect(cgroupCpuQuota('50000 100000')).toBe(1);
    expect(cgroupCpuQuota('400000 50000')).toBe(8);
  });

  it('has no quota for "max", an empty or an unreadable line', () => {
    expect(cgroupCpuQuota('max 100000')).toBeUndefined();
    expect(cgroupCpuQuota('')).toBeUndefined();
    expect(cgroupCpuQuota('lots of cpus')).toBeUndefined();
    expect(cgroupCpuQuota('0 100000')).toBeUndefined();
  });

  it('never counts more cores than the affinity and the quota allow, and at least one', () => {
    const usable = usableCpus();
    expect(usable).toBeGreaterThanOrEqual(1);
    expect(usable).toBeLessThanOrEqual(availableParallelism());
    const quota = cgroupCpuQuota();
    if (quota !== undefined) expect(usable).toBeLessThanOrEqual(quota);
    expect(physicalCores()).toBeGreaterThanOrEqual(1);
    expect(physicalCores()).toBeLessThanOrEqual(usable);
  });
});
