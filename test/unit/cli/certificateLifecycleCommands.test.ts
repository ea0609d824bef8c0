import { parseCommandLine, USAGE, UsageError } from '../../../cli/commandLine';

const SUB = '32fceecc-9de8-4d87-95ee-1824f8a9e108';

describe('certificate lifecycle commands', () => {
  it('parse rotate (with --plan), rollback and repair', () => {
    expect(parseCommandLine(['rotate', SUB]).command).toEqual({ kind: 'rotate', subaccountId: SUB, plan: false });
    expect(parseCommandLine(['rotate', SUB, '--plan']).command).toEqual({ kind: 'rotate', subaccountId: SUB, plan: true });
    expect(parseCommandLine(['rollback', `rotate-${SUB}-r1`]).command).toEqual({ kind: 'rollback', id: `rotate-${SUB}-r1` });
    expect(parseCommandLine(['repair', SUB]).command).toEqual({ kind: 'repair', subaccountId: SUB });
  });

  it('refuse a missing subaccount and options that belong to other commands', () => {
    expect(() => parseCommandLine(['repair'])).toThrow(UsageError);
    expect(() => parseCommandLine(['repair', SUB, '--plan'])).toThrow(/--plan does not apply to 'repair'/);
    expect(() => parseCommandLine(['rollback', 'a', 'b'])).toThrow(/unexpected argument 'b'/);
  });

  it('are in the usage text', () => {
    expect(USAGE).toMatch(/rotate <subaccount> \[--plan\]/);
    expect(USAGE).toMatch(/repair <subaccount>/);
  });
});
