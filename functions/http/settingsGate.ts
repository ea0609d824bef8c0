/**
 * Settings are checked once, when the app starts (appStart hook), and every HTTP function, health
 * included, answers 503 naming each bad setting until they are fixed and the app restarts. Without
 * this a misconfigured app looked healthy and failed with a 500 at its first credential call. The
 * gate is a preInvocation hook, so a route added later is covered without doing anything.
 */
import { app } from '@azure/functions';
import { SettingsError, type SettingProblem } from '../../shared/config';
import { settingsProblems, settingsUnavailable } from './settingsCheck';
import { rotationSettings } from '../../shared/config/rotationSettings';

let checked: SettingProblem[] | undefined;
const problemsAtStart = () => (checked ??= [...settingsProblems(), ...settingsProblems(rotationSettings)]);

app.hook.appStart(() => {
  const problems = problemsAtStart();
  if (problems.length > 0) console.error(new SettingsError(problems).message);
});

app.hook.preInvocation((context) => {
  if (context.invocationContext.options.trigger.type.toLowerCase() !== 'httptrigger') return;
  const problems = problemsAtStart();
  if (problems.length > 0) context.functionHandler = () => settingsUnavailable(problems);
});
