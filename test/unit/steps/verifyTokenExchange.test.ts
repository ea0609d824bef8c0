import { isTemporaryTokenServiceFailure } from '../../../orchestrations/onboarding/steps/verify';

const reason = (r: string) => `Retrieval of OAuthSAMLBearerAssertion tokens failed; reason: ${r}`;

describe('which failed token exchanges are worth asking again', () => {
  it.each([
    reason('token service answered HTTP 503'),
    reason('token service answered HTTP 429 (Too Many Requests)'),
    reason('token service answered HTTP 504'),
    reason('token service my100001-api.s4hana.ondemand.com could not be reached: socket hang up'),
    reason('request timed out'),
  ])('temporary: %s', (message) => {
    expect(isTemporaryTokenServiceFailure(message)).toBe(true);
  });

  it.each([
    reason('token service answered HTTP 401 ({"error":"invalid_client"})'),
    reason('token service answered HTTP 400 ({"error":"invalid_grant","error_description":"status 500 in assertion check"})'),
    reason('token service answered HTTP 400'),
    reason('tokenServiceURL is missing or not a URL'),
    'no token and no error text',
  ])('permanent: %s', (message) => {
    expect(isTemporaryTokenServiceFailure(message)).toBe(false);
  });
});
