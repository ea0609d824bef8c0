import { routeParams, manualStepParams, runIdParam } from '../../../functions/http/routeParams';
import { INSTANCE_ID_MAX_LENGTH, isInstanceId } from '../../../shared/schemas/instanceId';
import { onboardingKey } from '../../../orchestrations/onboarding/spec';

describe('the instance-id pattern', () => {
  it('holds the ids the product makes, today and per run', () => {
    const key = onboardingKey({ s4: { tenant: 'my100001' } as never, btp: { subaccountId: '7B3C1E2A-4D5F-4A6B-9C8D-0E1F2A3B4C5D' } as never });
    expect(isInstanceId(`onboard-${key}-r1`)).toBe(true);
    expect(isInstanceId(`onboard-${key}-plan-0a1b2c3d`)).toBe(true);
    expect(isInstanceId(`offboard-${key}-r12`)).toBe(true);
    expect(isInstanceId('a'.repeat(INSTANCE_ID_MAX_LENGTH))).toBe(true);
  });

  // The nine ids of issue 7 (as the route delivers them, decoded) and other URL-breaking ones.
  it.each(['\u0000', ' ', '\t', '?', '#', '/', '\\', '%', '?showInput=true', '', '.', '..', 'Onboard-X', 'a'.repeat(INSTANCE_ID_MAX_LENGTH + 1), 'a b', 'a&b', '@x'])(
    'refuses %j',
    (id) => expect(isInstanceId(id)).toBe(false),
  );
});

describe('routeParams', () => {
  it('returns the checked values', () => {
    expect(routeParams({ params: { id: 'onboard-my100001-x', step: 'communicationSystem' } }, manualStepParams)).toEqual({
      ok: true,
      params: { id: 'onboard-my100001-x', step: 'communicationSystem' },
    });
  });

  it('names every bad parameter in one 400', () => {
    const answer = routeParams({ params: { id: '?showInput=true', step: '../x' } }, manualStepParams);
    expect(answer).toMatchObject({
      ok: false,
      response: {
        status: 400,
        jsonBody: { fields: [{ field: 'id', message: expect.stringMatching(/^must be a run id: lower-case letters/) }, { field: 'step', message: expect.stringMatching(/^must be a step id/) }] },
      },
    });
  });

  it('a missing parameter is a bad one', () => {
    expect(routeParams({ params: {} }, runIdParam)).toMatchObject({ ok: false, response: { status: 400 } });
  });
});
