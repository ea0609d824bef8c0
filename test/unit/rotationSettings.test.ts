import { loadRotationSettings, ncrontabProblem } from '../../shared/config/rotationSettings';
import { SettingsError } from '../../shared/config';

describe('rotation settings', () => {
  it('default to a 7-day rollback window, Saturday 03:00, and nothing automatic', () => {
    expect(loadRotationSettings({})).toEqual({ rollbackWindowDays: 7, maintenanceWindow: '0 0 3 * * 6', autoRotate: false, autoRepair: false, batchSize: 25, pushConcurrency: 200 });
  });

  it('take fractions of days, on/off words and a six-field NCRONTAB', () => {
    const s = loadRotationSettings({ ROTATION_ROLLBACK_WINDOW_DAYS: '0.5', ROTATION_AUTO: 'on', REPAIR_AUTO: 'true', ROTATION_MAINTENANCE_WINDOW: '0 30 1 * * 0' });
    expect(s).toMatchObject({ rollbackWindowDays: 0.5, autoRotate: true, autoRepair: true, maintenanceWindow: '0 30 1 * * 0' });
  });

  it('name every bad setting at once', () => {
    let error: unknown;
    try {
      loadRotationSettings({ ROTATION_ROLLBACK_WINDOW_DAYS: '-1', ROTATION_MAINTENANCE_WINDOW: '0 3 * * *', ROTATION_AUTO: 'maybe' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SettingsError);
    expect((error as SettingsError).problems.map((p) => p.setting).sort()).toEqual(['ROTATION_AUTO', 'ROTATION_MAINTENANCE_WINDOW', 'ROTATION_ROLLBACK_WINDOW_DAYS']);
  });

  it('tell a five-field cron and a bad field apart from a good one', () => {
    expect(ncrontabProblem('0 3 * * *')).toMatch(/6 fields/);
    expect(ncrontabProblem('0 0 25 * * *')).toMatch(/not a valid NCRONTAB/);
    expect(ncrontabProblem('0 0 3 * * 6')).toBeUndefined();
  });
});
