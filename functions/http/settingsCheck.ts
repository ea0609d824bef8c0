/** The settings' verdict and the 503 every HTTP function answers while they are bad (settingsGate.ts). */
import type { HttpResponseInit } from '@azure/functions';
import { settings, SettingsError, type SettingProblem } from '../../shared/config';
import { rotationSettings } from '../../shared/config/rotationSettings';
import { json } from './httpResponses';

/** What the settings gate checks: the app's settings and the rotation's. */
export function gatedSettingsProblems(): SettingProblem[] {
  return [...settingsProblems(), ...settingsProblems(rotationSettings)];
}

export const settingsErrorMessage = (problems: SettingProblem[]) => new SettingsError(problems).message;

/** Every bad setting, or [] when the settings load. */
export function settingsProblems(load: () => unknown = settings): SettingProblem[] {
  try {
    load();
    return [];
  } catch (e) {
    if (e instanceof SettingsError) return e.problems;
    return [{ setting: 'settings', message: (e as Error).message }];
  }
}

export function settingsUnavailable(problems: SettingProblem[]): HttpResponseInit {
  const named = problems.map((p) => `${p.setting} ${p.message}`).join('; ');
  return json(503, {
    error: `The app's settings are invalid, so it serves no requests: ${named}. Fix them in the function app's settings (local runs: local.settings.json or the environment) and restart the app.`,
    settings: problems,
  });
}
