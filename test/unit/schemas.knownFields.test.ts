import { z } from 'zod';
import { knownFieldPaths } from '../../shared/schemas/knownFields';
import { validationErrors } from '../../shared/schemas/fieldErrors';
import { OnboardingRequest } from '../../shared/schemas/onboardingRequest';

describe('knownFieldPaths', () => {
  it('finds fields through pipes, optionals, defaults, arrays and unions, not record keys', () => {
    const schema = z
      .strictObject({
        a: z.strictObject({ deep: z.boolean().default(false) }).optional(),
        list: z.array(z.object({ item: z.string() })),
        either: z.union([z.object({ left: z.string() }), z.object({ right: z.string() })]),
        free: z.record(z.string(), z.object({ hidden: z.string() })),
      })
      .transform((x) => x);
    const known = knownFieldPaths(schema);
    expect(known.get('deep')).toEqual(['a.deep']);
    expect(known.get('item')).toEqual(['list.item']);
    expect([known.get('left'), known.get('right')]).toEqual([['either.left'], ['either.right']]);
    expect(known.has('hidden')).toBe(false);
  });
});

describe('unknown-field hints', () => {
  const fieldsOf = (body: unknown) => {
    const parsed = OnboardingRequest.safeParse(body);
    if (parsed.success) throw new Error('expected a failure');
    return validationErrors(parsed.error, OnboardingRequest);
  };
  const valid = {
    btp: { region: 'eu10', subaccountId: '7b3c1e2a-4d5f-4a6b-9c8d-0e1f2a3b4c5d', destinationServiceKeySecret: 'key' },
    s4: { host: 'my100001-api.s4hana.ondemand.com', bootstrapUserSecret: 'user' },
  };

  it('a top-level field that belongs under btp says where', () => {
    expect(fieldsOf({ ...valid, allowCertificateGeneration: true })).toEqual([
      { field: 'allowCertificateGeneration', message: 'unknown field allowCertificateGeneration: did you mean btp.allowCertificateGeneration?' },
    ]);
  });

  it('a field in the wrong section says where it belongs', () => {
    expect(fieldsOf({ ...valid, btp: { ...valid.btp, scenarioId: 'SAP_COM_0501' } })).toEqual([
      { field: 'btp.scenarioId', message: 'unknown field scenarioId: did you mean s4.scenarioId?' },
    ]);
  });

  it('a field the schema has nowhere stays "unknown field"', () => {
    expect(fieldsOf({ ...valid, dryRun: true })).toEqual([{ field: 'dryRun', message: 'unknown field' }]);
  });

  it('without the schema, no hint', () => {
    const parsed = OnboardingRequest.safeParse({ ...valid, allowCertificateGeneration: true });
    expect(validationErrors(parsed.error!)).toEqual([{ field: 'allowCertificateGeneration', message: 'unknown field' }]);
  });
});
