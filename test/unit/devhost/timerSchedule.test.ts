import { isPastDue, parseNcrontab, resolveScheduleSetting, statusAfterRun } from '../../../devhost/host/timerSchedule';

describe('NCRONTAB schedules', () => {
  it('computes the next occurrence with a seconds field', () => {
    const everyFiveMinutes = parseNcrontab('0 */5 * * * *', 'UTC');
    expect(everyFiveMinutes.nextAfter(new Date('2026-03-02T10:07:13Z'))?.toISOString()).toBe('2026-03-02T10:10:00.000Z');
    const everyTenSeconds = parseNcrontab('*/10 * * * * *', 'UTC');
    expect(everyTenSeconds.nextAfter(new Date('2026-03-02T10:07:13Z'))?.toISOString()).toBe('2026-03-02T10:07:20.000Z');
  });

  it('reads weekday ranges (Sunday = 0) and skips the weekend', () => {
    const weekdays = parseNcrontab('0 30 9 * * 1-5', 'UTC');
    // 2026-03-06 is a Friday
    expect(weekdays.nextAfter(new Date('2026-03-06T10:00:00Z'))?.toISOString()).toBe('2026-03-09T09:30:00.000Z');
  });

  it('requires both day-of-month and day-of-week, as NCrontab does', () => {
    const fridayThe13th = parseNcrontab('0 0 0 13 * 5', 'UTC');
    expect(fridayThe13th.nextAfter(new Date('2026-01-01T00:00:00Z'))?.toISOString()).toBe('2026-02-13T00:00:00.000Z');
  });

  it('honours a time zone', () => {
    const nineInBerlin = parseNcrontab('0 0 9 * * *', 'Europe/Berlin');
    expect(nineInBerlin.nextAfter(new Date('2026-01-10T00:00:00Z'))?.toISOString()).toBe('2026-01-10T08:00:00.000Z');
  });

  it('rejects five-field and malformed expressions with a clear message', () => {
    expect(() => parseNcrontab('*/5 * * * *')).toThrow(/must have 6 fields/);
    expect(() => parseNcrontab('0 99 * * * *')).toThrow(/not a valid NCRONTAB/);
  });

  it('reads %Setting% schedules from app settings', () => {
    expect(resolveScheduleSetting('%MY_SCHEDULE%', { MY_SCHEDULE: '0 0 * * * *' })).toBe('0 0 * * * *');
    expect(() => resolveScheduleSetting('%MISSING%', {})).toThrow(/MISSING/);
  });
});

describe('isPastDue', () => {
  const hourly = parseNcrontab('0 0 * * * *', 'UTC');

  it('is false for a timer that never ran', () => {
    expect(isPastDue(undefined, hourly, new Date('2026-03-02T10:30:00Z'))).toBe(false);
  });

  it('is false while the next occurrence is still ahead', () => {
    const status = statusAfterRun(hourly, new Date('2026-03-02T10:00:01Z'));
    expect(status.next).toBe('2026-03-02T11:00:00.000Z');
    expect(isPastDue(status, hourly, new Date('2026-03-02T10:59:59Z'))).toBe(false);
  });

  it('is true after a downtime that spans an occurrence', () => {
    const status = statusAfterRun(hourly, new Date('2026-03-02T10:00:01Z'));
    expect(isPastDue(status, hourly, new Date('2026-03-02T11:00:00Z'))).toBe(true);
    expect(isPastDue(status, hourly, new Date('2026-03-02T13:20:00Z'))).toBe(true);
  });

  it('recomputes the expected occurrence from the last run when the schedule changed', () => {
    const status = statusAfterRun(hourly, new Date('2026-03-02T10:00:01Z'));
    const daily = parseNcrontab('0 0 0 * * *', 'UTC');
    expect(isPastDue(status, daily, new Date('2026-03-02T20:00:00Z'))).toBe(false);
    expect(isPastDue(status, daily, new Date('2026-03-03T00:00:01Z'))).toBe(true);
  });
});
