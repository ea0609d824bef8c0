/**
 * Settings are checked once, when the app starts (appStart hook), and every HTTP function, health
 * included, answers 503 naming each bad setting until they are fixed and the app restarts. Without
 * this a misconfigured app looked healthy and failed with a 500 at its first credential call. The
 * gate is a preInvocation hook, so a route added later is covered without doing anything.
 */
import { app } from '@azure/functions';
import type { SettingProblem } from '../../shared/config';

// The check and the settings' schemas load when the app starts, not with the entry (bench/coldStart).
const settingsCheck = () => require('./settingsCheck') as typeof import('./settingsCheck');

let checked: SettingProblem[] | undefined;
const problemsAtStart = () => (checked ??= settingsCheck().gatedSettingsProblems());

app.hook.appStart(() => {
  const problems = problemsAtStart();
  if (problems.length > 0) console.error(settingsCheck().settingsErrorMessage(problems));
});

app.hook.preInvocation((context) => {
  if (context.invocationContext.options.trigger.type.toLowerCase() !== 'httptrigger') return;
  const problems = problemsAtStart();
  if (problems.length > 0) context.functionHandler = () => settingsCheck().settingsUnavailable(problems);
});
