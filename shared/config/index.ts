export { loadSettings, localSettingsValues, settings, resetSettingsCache, SettingsError, type Settings, type SettingProblem, type Env, type LoadSettingsOptions } from './settings';
