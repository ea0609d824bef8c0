import { fieldChanges, MASKED } from '../../../shared/workflow/stepPlan';

describe('fieldChanges', () => {
  it('lists only the fields that differ, with from and to', () => {
    expect(fieldChanges({ url: 'https://a', type: 'HTTP' }, { url: 'https://b', type: 'HTTP' })).toEqual([{ field: 'url', from: 'https://a', to: 'https://b' }]);
  });

  it('masks a secret field on both sides and never shows its values', () => {
    const changes = fieldChanges({ user: 'COM1', password: 'old-S3cret!' }, { user: 'COM1', password: 'new-S3cret!' }, { secretFields: ['password'] });
    expect(changes).toEqual([{ field: 'password', from: MASKED, to: MASKED }]);
    expect(JSON.stringify(changes)).not.toMatch(/S3cret/);
  });

  it('masks a secret field of an object that does not exist yet, and has no "from"', () => {
    expect(fieldChanges(undefined, { user: 'COM1', password: 'new-S3cret!' }, { secretFields: ['password'] })).toEqual([
      { field: 'user', to: 'COM1' },
      { field: 'password', to: MASKED },
    ]);
  });

  it('uses the comparison it is given, e.g. case-insensitive host names', () => {
    const equal = (_f: string, have: unknown, want: unknown) => String(have).toLowerCase() === String(want).toLowerCase();
    expect(fieldChanges({ host: 'MY100001.example' }, { host: 'my100001.example' }, { equal })).toEqual([]);
  });
});
