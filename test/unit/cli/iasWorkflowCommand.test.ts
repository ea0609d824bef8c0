import { parseCommandLine, UsageError } from '../../../cli/commandLine';

describe('sap-trust ias-trust / attribute-mapping command lines', () => {
  it('routes the verbs with their options', () => {
    expect(parseCommandLine(['ias-trust', 'start', 'trust.json', '--no-wait']).command).toEqual({ kind: 'ias workflow', workflow: 'ias-trust', verb: 'start', file: 'trust.json', wait: false });
    expect(parseCommandLine(['attribute-mapping', 'plan', 'm.json', '--json']).command).toEqual({ kind: 'ias workflow', workflow: 'attribute-mapping', verb: 'plan', file: 'm.json', json: true });
    expect(parseCommandLine(['attribute-mapping', 'status', 'attrmap-x-r1']).command).toMatchObject({ verb: 'status', id: 'attrmap-x-r1' });
    expect(parseCommandLine(['ias-trust', 'list']).command).toMatchObject({ verb: 'list', json: false });
  });

  it('refuses an unknown verb, a missing file and options of other commands', () => {
    expect(() => parseCommandLine(['ias-trust', 'apply', 'x.json'])).toThrow(new UsageError("unknown ias-trust command 'apply' (start, plan, status or list)"));
    expect(() => parseCommandLine(['ias-trust', 'start'])).toThrow(/needs <file.json>/);
    expect(() => parseCommandLine(['attribute-mapping', 'list', '--note', 'x'])).toThrow(/--note does not apply/);
  });
});
