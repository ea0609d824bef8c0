import { parseCommandLine, UsageError, USAGE } from '../../../cli/commandLine';

const parse = (line: string) => parseCommandLine(line.split(' ').filter(Boolean)).command;

describe('sap-trust neo-trust', () => {
  it('parses export, import, diff and restore', () => {
    expect(parse('neo-trust export eu2.hana.ondemand.com a1b2c3 --credential neo-a1')).toEqual({ kind: 'neo-trust export', landscapeHost: 'eu2.hana.ondemand.com', subaccount: 'a1b2c3', credential: 'neo-a1', json: false, wait: true });
    expect(parse('neo-trust import eu2.hana.ondemand.com b2 --credential neo-b2 --export neo-export-a1-r1')).toMatchObject({ kind: 'neo-trust import', source: { exportId: 'neo-export-a1-r1' }, plan: false });
    expect(parse('neo-trust diff eu2.hana.ondemand.com b2 --credential neo-b2 --document trust.json --json')).toMatchObject({ kind: 'neo-trust import', source: { documentFile: 'trust.json' }, plan: true, json: true });
    expect(parse('neo-trust restore neo-import-b2-r1-backup')).toEqual({ kind: 'neo-trust restore', backupId: 'neo-import-b2-r1-backup', json: false, wait: true });
  });

  it.each([
    ['neo-trust', /needs export, import, diff or restore/],
    ['neo-trust copy a b', /unknown neo-trust command 'copy'/],
    ['neo-trust export eu2.hana.ondemand.com a1', /needs --credential/],
    ['neo-trust import eu2.hana.ondemand.com b2 --credential c', /exactly one of --export <id> or --document <file>/],
    ['neo-trust import eu2.hana.ondemand.com b2 --credential c --export x --document y', /exactly one of/],
    ['neo-trust restore', /needs <backup id>/],
    ['neo-trust export eu2.hana.ondemand.com a1 --credential c --note hi', /--note does not apply/],
    ['onboard x.json --credential c', /--credential does not apply/],
  ])('refuses "%s"', (line, message) => {
    expect(() => parse(line)).toThrow(UsageError);
    expect(() => parse(line)).toThrow(message);
  });

  it('is in the usage text', () => expect(USAGE).toMatch(/neo-trust diff <landscape> <subaccount>/));
});
