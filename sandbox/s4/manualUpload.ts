/**
 * Sandbox-only route on the tenant host that plays the person doing the manual step in Fiori:
 *
 *   POST https://<tenant>-api.s4hana.ondemand.com/__sandbox/manual/communication-systems/<system ID>/signing-certificate
 *   { "certificate": "<PEM or base64 DER>", "samlIssuer"?: "<CN>", "activate"?: true }
 *
 * No SAP logon (the person is in Fiori); works even when the tenant rejects the field in the API.
 * Answers 200 `{communicationSystem, subject, issuer, samlIssuer, active}`, 400 naming bad fields,
 * 404 for an unknown system. Tests can call uploadSigningCertificateManually() directly instead.
 */
import { z } from 'zod';
import type { SandboxContext, SandboxRequest, SandboxResponse } from '../core/service';
import { ManualUploadError, uploadSigningCertificateManually } from './signingCertificate';
import type { S4Tenant } from './tenantState';

/** Every path under this prefix on a tenant host belongs to the sandbox, not to S/4. */
export const SANDBOX_TENANT_PREFIX = '/__sandbox/';
const ROUTE = /^\/__sandbox\/manual\/communication-systems\/([^/]+)\/signing-certificate$/;
const ROUTES = [
  {
    method: 'POST',
    path: '/__sandbox/manual/communication-systems/{system ID}/signing-certificate',
    what: 'the administrator uploads the signing certificate in Fiori: {"certificate": "<PEM or base64 DER>", "samlIssuer"?: "<CN>", "activate"?: true}',
  },
];

const ManualUpload = z
  .object({ certificate: z.string().min(1), samlIssuer: z.string().min(1).max(255).optional(), activate: z.boolean().optional() })
  .strict();

function invalid(fields: { field: string; message: string }[]): SandboxResponse {
  return { status: 400, body: { error: 'invalid request', fields } };
}

export function handleManualUpload(req: SandboxRequest, t: S4Tenant, ctx: SandboxContext): SandboxResponse {
  const m = ROUTE.exec(req.path);
  if (!m) return { status: 404, body: { error: `no sandbox route ${req.method} ${req.path}`, routes: ROUTES } };
  if (req.method !== 'POST') return { status: 405, headers: { allow: 'POST' }, body: { error: 'use POST' } };
  let json: unknown;
  try {
    json = JSON.parse(req.body.toString('utf8'));
  } catch {
    return invalid([{ field: '(body)', message: 'body is not valid JSON' }]);
  }
  const input = ManualUpload.safeParse(json);
  if (!input.success) return invalid(input.error.issues.map((i) => ({ field: i.path.join('.') || '(body)', message: i.message })));
  const systemId = decodeURIComponent(m[1]);
  if (!Object.values(t.systems).some((s) => s.ID === systemId)) return { status: 404, body: { error: `communication system ${systemId} does not exist in tenant ${t.tenant}` } };
  try {
    const system = uploadSigningCertificateManually(t, systemId, input.data.certificate, ctx.now(), input.data);
    ctx.changed();
    return {
      status: 200,
      body: {
        communicationSystem: system.ID,
        subject: system.OAuth2IdentityProviderCertificateSubject,
        issuer: system.OAuth2IdentityProviderCertificateIssuer,
        samlIssuer: system.OAuth2IdentityProviderName,
        active: system.IsOAuth2IdentityProviderActive,
      },
    };
  } catch (e) {
    if (e instanceof ManualUploadError) return invalid([{ field: 'certificate', message: e.message }]);
    throw e;
  }
}
