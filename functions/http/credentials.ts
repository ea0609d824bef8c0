/**
 * Where administrators hand over SAP credentials (the Destination service key, the SAP_COM_0A48
 * user): stored in the SecretStore under the name they choose. No route ever returns a value.
 */
import { app, type HttpRequest, type HttpResponseInit } from '@azure/functions';
import { CredentialPut } from '../../shared/schemas/onboardingApi';
import { runtimeServices } from '../../shared/config/runtimeServices';
import { isSecretName, SECRET_CONTENT_TYPES, secretTags } from '../../shared/secrets';
import { invalidRequest, json, notFound, readJson } from './httpResponses';
import { validationErrors } from '../../shared/schemas/fieldErrors';

const NAME_RULE = 'letters, digits and dashes, at most 127 characters (Key Vault secret names)';

async function putCredential(request: HttpRequest): Promise<HttpResponseInit> {
  const name = request.params.name;
  const { body, error } = await readJson(request);
  const problems = [];
  if (!isSecretName(name)) problems.push({ field: 'name', message: `must be ${NAME_RULE}` });
  if (error) problems.push(error);
  const parsed = error ? undefined : CredentialPut.safeParse(body);
  if (parsed && !parsed.success) problems.push(...validationErrors(parsed.error));
  if (problems.length > 0 || !parsed?.success) return invalidRequest(problems);

  const { value, contentType } = parsed.data;
  const isJson = typeof value !== 'string';
  await runtimeServices().secrets.set(name, isJson ? JSON.stringify(value) : value, {
    contentType: contentType ?? (isJson ? SECRET_CONTENT_TYPES.json : SECRET_CONTENT_TYPES.text),
    tags: secretTags('-', 'administrator-credential'),
  });
  return { status: 204 };
}

async function getCredential(request: HttpRequest): Promise<HttpResponseInit> {
  const name = request.params.name;
  if (!isSecretName(name)) return invalidRequest([{ field: 'name', message: `must be ${NAME_RULE}` }]);
  const properties = await runtimeServices().secrets.properties(name);
  if (!properties) return notFound(`credential ${name}`);
  return json(200, { name, exists: true, contentType: properties.contentType, updatedOn: properties.updatedOn });
}

app.http('credentialsPut', { route: 'credentials/{name}', methods: ['PUT'], authLevel: 'function', handler: putCredential });
app.http('credentialsGet', { route: 'credentials/{name}', methods: ['GET'], authLevel: 'function', handler: getCredential });
