import path from 'node:path';
import { entryPatternFromPackageJson, loadApp, resolveEntryFiles } from '../../../devhost/host/appLoader';

const fixtures = path.join(__dirname, 'fixtures');

describe('app loader', () => {
  it('captures every registration with its trigger type, bindings and real handler', () => {
    const { registrations } = loadApp([path.join(fixtures, 'smallApp.js')]);
    const byName = Object.fromEntries(registrations.all().map((f) => [f.name, f]));
    expect(Object.keys(byName).sort()).toEqual(['greet', 'greeting', 'nightly', 'startGreeting']);
    expect(byName.greet.triggerType).toBe('activityTrigger');
    expect(byName.greeting.triggerType).toBe('orchestrationTrigger');
    expect(byName.nightly.triggerType).toBe('timerTrigger');
    expect(byName.startGreeting.triggerType).toBe('httpTrigger');
    const bindingTypes = Object.values(byName.startGreeting.metadata.bindings).map((b) => b.type);
    expect(bindingTypes).toEqual(expect.arrayContaining(['httpTrigger', 'durableClient', 'http']));
    const timer = Object.values(byName.nightly.metadata.bindings).find((b) => b.type === 'timerTrigger');
    expect(timer).toMatchObject({ schedule: '0 30 2 * * *', runOnStartup: true });
    expect(registrations.get('GREET')).toBe(byName.greet);
  });

  it('calls the real activity handler as registered', async () => {
    const { registrations, functionsLibrary } = loadApp([path.join(fixtures, 'smallApp.js')]);
    const context = new functionsLibrary.InvocationContext({ functionName: 'greet' });
    await expect(registrations.get('greet')!.handler('Tokyo', context)).resolves.toBe('Hello Tokyo');
  });

  it('captures hooks and the programming model of @azure/functions', () => {
    const { registrations } = loadApp([path.join(fixtures, 'smallApp.js')]);
    expect(registrations.hooks('appStart')).toHaveLength(1);
    expect(registrations.hooks('preInvocation')).toHaveLength(1);
    expect(registrations.hooks('appTerminate')).toHaveLength(0);
    expect(registrations.getProgrammingModel()).toMatchObject({ name: '@azure/functions' });
  });

  it('registers again when the same app is loaded a second time in one process', () => {
    loadApp([path.join(fixtures, 'smallApp.js')]);
    const second = loadApp([path.join(fixtures, 'smallApp.js')]);
    expect(second.registrations.all()).toHaveLength(4);
  });

  it('resolves a package.json "main" glob to every matching file', () => {
    const dir = path.join(fixtures, 'globApp');
    const files = resolveEntryFiles(entryPatternFromPackageJson(dir), dir);
    expect(files.map((f) => path.basename(f))).toEqual(['first.js', 'second.js']);
    expect(loadApp(files).registrations.all().map((f) => f.name).sort()).toEqual(['first', 'second']);
  });

  it('names the missing entry when "main" points at nothing', () => {
    expect(() => resolveEntryFiles('dist/nothing-here.js', fixtures)).toThrow(/nothing-here\.js does not exist/);
    expect(() => resolveEntryFiles('nowhere/*.js', fixtures)).toThrow(/matches no file/);
  });
});
