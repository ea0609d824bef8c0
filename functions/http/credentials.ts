/**
 * Where administrators hand over SAP credentials (the Destination service key, the SAP_COM_0A48
 * user): stored in the SecretStore under the name they choose. No route ever returns a value.
 * PUT and GET /api/credentials/{name}, registered in functions/appFunctions.ts.
 */
import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { runtimeServices } from '../../shared/config/runtimeServices';
import { isSecretName, MANAGED_BY, secretTags } from '../../shared/secrets';
import { invalidRequest, json, notFound } from './httpResponses';
import { BODY_LIMITS, readJsonBody } from './jsonBody';
import { credentialFromBody } from './credentialBody';

const NAME_RULE = 'letters, digits and dashes, at most 127 characters (Key Vault secret names)';

export async function putCredential(request: HttpRequest): Promise<HttpResponseInit> {
  const name = request.params.name;
  const read = await readJsonBody(request, BODY_LIMITS.credential);
  if (!read.ok) return read.response;
  const problems = [];
  if (!isSecretName(name)) problems.push({ field: 'name', message: `must be ${NAME_RULE}` });
  const credential = credentialFromBody(read.body);
  if (!credential.ok && 'response' in credential) return credential.response;
  if (!credential.ok) problems.push(...credential.fields);
  const overwrite = request.query.get('overwrite');
  if (overwrite !== null && overwrite !== 'true' && overwrite !== 'false') problems.push({ field: 'overwrite', message: 'must be true or false' });
  if (problems.length > 0 || !credential.ok) return invalidRequest(problems);

  // A shared vault holds other applications' secrets: never replace one of those by a typo in a name.
  const existing = await runtimeServices().secrets.properties(name);
  if (existing && existing.tags['managed-by'] !== MANAGED_BY && overwrite !== 'true') {
    return json(409, {
      error: `a secret named ${name} already exists in the secret store and was not stored by this product (it has no tag managed-by=${MANAGED_BY}). Choose another credential name, or, to replace that secret knowingly, repeat the request with ?overwrite=true (CLI: --overwrite).`,
      name,
    });
  }
  await runtimeServices().secrets.set(name, credential.value, {
    contentType: credential.contentType,
    tags: secretTags('-', 'administrator-credential'),
  });
  return { status: 204 };
}

export async function getCredential(request: HttpRequest): Promise<HttpResponseInit> {
  const name = request.params.name;
  if (!isSecretName(name)) return invalidRequest([{ field: 'name', message: `must be ${NAME_RULE}` }]);
  const properties = await runtimeServices().secrets.properties(name);
  if (!properties) return notFound(`credential ${name}`);
  return json(200, { name, exists: true, contentType: properties.contentType, updatedOn: properties.updatedOn });
}
