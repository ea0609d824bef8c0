/**
 * What a stored credential must hold, by the purpose its content type declares
 * (`application/json; purpose=btp-destination-service-key`, see SECRET_CONTENT_TYPES), checked when
 * it is stored so a wrong value is refused at PUT and not in the middle of a run. Messages name the
 * fields that are wrong, never a value.
 */
import { z } from 'zod';
import { DestinationServiceKey } from '../sap/xsuaa/serviceKey';
import { BootstrapUser } from '../workflow/bootstrapUser';
import { SECRET_CONTENT_TYPES } from '../secrets/secretNames';
import { NeoPlatformClientSecret, NEO_PLATFORM_CLIENT_CONTENT_TYPE, NEO_PLATFORM_CLIENT_SHAPE } from '../neoTrust/neoPlatformClient';
import { validationErrors, type FieldError } from './fieldErrors';

/** Key Vault's limit for one secret value: 25 KB. */
export const SECRET_VALUE_MAX_BYTES = 25 * 1024;

/** `text/plain; purpose=x` → `x`. */
export function purposeOf(contentType: string | undefined): string | undefined {
  const match = /;\s*purpose\s*=\s*"?([^";\s]+)"?/i.exec(contentType ?? '');
  return match?.[1].toLowerCase();
}

type ValueCheck = (value: unknown) => FieldError[];

const BOOTSTRAP_USER_SHAPE = '{"user": "<communication user name>", "password": "<its password>"}';

const checks: Record<string, ValueCheck> = {
  [purposeOf(SECRET_CONTENT_TYPES.destinationServiceKey)!]: (value) => {
    if (typeof value !== 'object' || value === null) {
      return [{ field: 'value', message: 'must be the Destination service key as a JSON object, exactly as the BTP cockpit shows it' }];
    }
    // `cf service-key` output wraps the key in {"credentials": …}; parseDestinationServiceKey unwraps it too.
    const key = 'credentials' in value && typeof value.credentials === 'object' ? value.credentials : value;
    const parsed = DestinationServiceKey.safeParse(key);
    return parsed.success ? [] : prefixed('value', validationErrors(parsed.error), 'a Destination service key needs clientid, clientsecret, url and uri');
  },
  [purposeOf(SECRET_CONTENT_TYPES.bootstrapUser)!]: (value) => {
    if (typeof value !== 'object' || value === null) {
      return [{ field: 'value', message: `must be the SAP_COM_0A48 communication user as a JSON object ${BOOTSTRAP_USER_SHAPE}, not ${typeof value === 'string' ? 'a string such as "USER:password"' : `a ${typeof value}`}` }];
    }
    const parsed = z.strictObject(BootstrapUser.shape).safeParse(value);
    return parsed.success ? [] : prefixed('value', validationErrors(parsed.error), `the SAP_COM_0A48 user is ${BOOTSTRAP_USER_SHAPE}`);
  },
  [purposeOf(NEO_PLATFORM_CLIENT_CONTENT_TYPE)!]: (value) => {
    const parsed = z.strictObject(NeoPlatformClientSecret.shape).safeParse(value);
    return parsed.success ? [] : prefixed('value', validationErrors(parsed.error), `the Neo platform API client is ${NEO_PLATFORM_CLIENT_SHAPE}`);
  },
  [purposeOf(SECRET_CONTENT_TYPES.communicationUserPassword)!]: (value) =>
    typeof value === 'string' ? [] : [{ field: 'value', message: 'must be the password as a string' }],
};

export const CREDENTIAL_PURPOSES = Object.keys(checks);

/** Field errors for a credential whose content type declares a purpose; [] when it has none. */
export function credentialValueProblems(value: unknown, contentType: string | undefined): FieldError[] {
  const purpose = purposeOf(contentType);
  if (purpose === undefined) return [];
  const check = checks[purpose];
  if (!check) return [{ field: 'contentType', message: `names an unknown purpose "${purpose}"; known: ${CREDENTIAL_PURPOSES.join(', ')}` }];
  return check(value);
}

function prefixed(prefix: string, errors: FieldError[], hint: string): FieldError[] {
  return errors.map((e) => ({ field: e.field === 'body' ? prefix : `${prefix}.${e.field}`, message: `${e.message} (${hint})` }));
}
