/**
 * The semantic half of request validation (422): do the secrets a request names exist, and do they
 * hold what their field says? Checked before any SAP call. Messages name the secret and the missing
 * parts, never a value.
 */
import { parseDestinationServiceKey } from '../sap/xsuaa/serviceKey';
import { serviceKeyMisfit } from '../sap/xsuaa/serviceKeyFit';
import { BootstrapUser } from '../workflow/bootstrapUser';
import type { SecretStore } from '../secrets/secretStore';
import type { FieldError } from './fieldErrors';
import type { OnboardingRequest } from './onboardingRequest';

export async function checkSecretReferences(request: Pick<OnboardingRequest, 'btp' | 's4'>, secrets: Pick<SecretStore, 'get'>): Promise<FieldError[]> {
  const { btp } = request;
  const checks: { field: string; name: string; check: (value: string) => string | undefined }[] = [
    { field: 'btp.destinationServiceKeySecret', name: btp.destinationServiceKeySecret, check: (v) => destinationServiceKeyProblem(v, btp.destinationServiceKeySecret, btp) },
    { field: 's4.bootstrapUserSecret', name: request.s4.bootstrapUserSecret, check: bootstrapUserProblem },
  ];
  const results = await Promise.all(
    checks.map(async ({ field, name, check }): Promise<FieldError | undefined> => {
      const value = await secrets.get(name);
      if (value === undefined) {
        return { field, message: `no credential named "${name}" is stored; store it first with PUT /api/credentials/${name}` };
      }
      const problem = check(value);
      return problem ? { field, message: `credential "${name}" ${problem}` } : undefined;
    }),
  );
  return results.filter((r): r is FieldError => r !== undefined);
}

function destinationServiceKeyProblem(value: string, name: string, target: { region: string; subaccountId: string }): string | undefined {
  let key;
  try {
    key = parseDestinationServiceKey(value);
  } catch (e) {
    // parseDestinationServiceKey names fields, never values.
    return `is not a Destination service key (${(e as Error).message})`;
  }
  // The token request sends the client secret to `url`, the token goes to `uri`: both must be the
  // services of the request's region, and the key must be the one of the request's subaccount.
  const misfit = serviceKeyMisfit(name, key, target);
  return misfit ? `${misfit.problem}. ${misfit.fix}` : undefined;
}

function bootstrapUserProblem(value: string): string | undefined {
  let json: unknown;
  try {
    json = JSON.parse(value);
  } catch {
    return 'is not JSON; store the SAP_COM_0A48 user as {"user":"…","password":"…"}';
  }
  const parsed = BootstrapUser.safeParse(json);
  if (parsed.success) return undefined;
  const fields = [...new Set(parsed.error.issues.map((i) => i.path.join('.') || '(value)'))];
  return `is not an SAP_COM_0A48 user {"user","password"}: bad or missing ${fields.join(', ')}`;
}
