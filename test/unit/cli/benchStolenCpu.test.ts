import { machineCpuTimes, stolenShare } from '../../../bench/stolenCpu';

const stat = (user: number, idle: number, steal: number) => `cpu  ${user} 0 10 ${idle} 0 0 0 ${steal} 0 0\ncpu0 1 2 3 4 5 6 7 8 9 10\n`;

describe('CPU stolen by the hypervisor during a bench', () => {
  it('reads the all-cores line of /proc/stat', () => {
    expect(machineCpuTimes(() => stat(100, 200, 30))).toEqual({ total: 340, steal: 30 });
  });

  it('gives the stolen share of the time between two readings', () => {
    const before = machineCpuTimes(() => stat(100, 200, 30));
    const after = machineCpuTimes(() => stat(160, 220, 60)); // 110 more ticks, 30 of them stolen
    expect(stolenShare(before, after)).toBe('steal 27%');
  });

  it('says it does not know where /proc/stat is missing or odd', () => {
    expect(machineCpuTimes(() => { throw new Error('ENOENT'); })).toBeUndefined();
    expect(machineCpuTimes(() => 'intr 1 2 3\n')).toBeUndefined();
    expect(stolenShare(undefined, { total: 1, steal: 0 })).toBe('steal unknown');
    expect(stolenShare({ total: 5, steal: 0 }, { total: 5, steal: 0 })).toBe('steal unknown');
  });
});
