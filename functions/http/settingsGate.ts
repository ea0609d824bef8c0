/**
 * Settings are checked once, when the app starts (appStart hook), and every HTTP function, health
 * included, answers 503 naming each bad setting until they are fixed and the app restarts. Without
 * this a misconfigured app looked healthy and failed with a 500 at its first credential call. The
 * gate is a preInvocation hook, so a route added later is covered without doing anything.
 */
import { app, type HttpResponseInit } from '@azure/functions';
import { settings, SettingsError, type SettingProblem } from '../../shared/config';
import { json } from './httpResponses';

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

let checked: SettingProblem[] | undefined;
const problemsAtStart = () => (checked ??= settingsProblems());

app.hook.appStart(() => {
  const problems = problemsAtStart();
  if (problems.length > 0) console.error(new SettingsError(problems).message);
});

app.hook.preInvocation((context) => {
  if (context.invocationContext.options.trigger.type.toLowerCase() !== 'httptrigger') return;
  const problems = problemsAtStart();
  if (problems.length > 0) context.functionHandler = () => settingsUnavailable(problems);
});
