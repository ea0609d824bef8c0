import { certificateCheckSchedule, maintenanceWindowSchedule } from '../../shared/config/timerSchedules';
import { loadRotationSettings } from '../../shared/config/rotationSettings';
import { loadSettings } from '../../shared/config/settings';

describe('timer schedules read when the app loads', () => {
  it('are the defaults when unset or blank', () => {
    expect([certificateCheckSchedule({}), maintenanceWindowSchedule({})]).toEqual(['0 0 2 * * *', '0 0 3 * * 6']);
    expect([certificateCheckSchedule({ CERTIFICATE_CHECK_SCHEDULE: ' ' }), maintenanceWindowSchedule({ ROTATION_MAINTENANCE_WINDOW: '' })]).toEqual(['0 0 2 * * *', '0 0 3 * * 6']);
  });

  it('are the settings, trimmed, when they are NCRONTAB: the schedules the settings check accepts', () => {
    const env = { CERTIFICATE_CHECK_SCHEDULE: ' 0 30 4 * * * ', ROTATION_MAINTENANCE_WINDOW: '0 0 1 * * 0' };
    expect(certificateCheckSchedule(env)).toBe('0 30 4 * * *');
    expect(maintenanceWindowSchedule(env)).toBe('0 0 1 * * 0');
    expect(certificateCheckSchedule(env)).toBe(loadSettings(env).certificateCheck.schedule);
    expect(maintenanceWindowSchedule(env)).toBe(loadRotationSettings(env).maintenanceWindow);
  });

  it('keep the defaults when a setting is not NCRONTAB, which the settings check names', () => {
    const env = { CERTIFICATE_CHECK_SCHEDULE: '0 2 * * *', ROTATION_MAINTENANCE_WINDOW: '0 0 25 * * *' };
    expect([certificateCheckSchedule(env), maintenanceWindowSchedule(env)]).toEqual(['0 0 2 * * *', '0 0 3 * * 6']);
    expect(() => loadSettings(env)).toThrow(/CERTIFICATE_CHECK_SCHEDULE/);
    expect(() => loadRotationSettings(env)).toThrow(/ROTATION_MAINTENANCE_WINDOW/);
  });
});
