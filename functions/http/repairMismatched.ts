/**
 * POST /api/repairs/mismatched `{"subaccountId"}`: a repair for every tenant of the subaccount that the last
 * certificate check found in `mismatch` (what `sap-trust repair <subaccount>` calls). One run per tenant,
 * through the same start as POST /api/repairs; tenants with a repair going are named, not started twice.
 * Registered in functions/appFunctions.ts.
 */
import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import type { DurableClient } from 'durable-functions';
import { z } from 'zod';
import { runtimeServices } from '../../shared/config/runtimeServices';
import { validationErrors } from '../../shared/schemas/fieldErrors';
import { startRepair } from '../timers/certificateMaintenance';
import { invalidRequest, json } from './httpResponses';
import { BODY_LIMITS, readJsonBody } from './jsonBody';

const Body = z.object({ subaccountId: z.string().trim().regex(/^[0-9a-fA-F-]{8,64}$/, 'must be the subaccount GUID') }).strict();

export async function repairMismatched(request: HttpRequest, client: DurableClient): Promise<HttpResponseInit> {
  const read = await readJsonBody(request, BODY_LIMITS.workflowRequest);
  if (!read.ok) return read.response;
  const body = Body.safeParse(read.body);
  if (!body.success) return invalidRequest(validationErrors(body.error, Body));
  const records = await runtimeServices().registry.listBySubaccount(body.data.subaccountId);
  if (records.length === 0) return invalidRequest([{ field: 'subaccountId', message: `no tenant of subaccount ${body.data.subaccountId} is in the tenant registry` }], 422);
  const mismatched = records.filter((r) => r.lastCheck?.status === 'mismatch');
  const repairs = [];
  for (const r of mismatched) repairs.push({ tenantHost: r.tenantHost, ...(await startRepair(client, r.subaccountId, r.tenantHost)) });
  return json(repairs.some((r) => r.started) ? 202 : 200, { subaccountId: body.data.subaccountId, repairs, ...(mismatched.length === 0 ? { note: 'the last check found no tenant of this subaccount in mismatch' } : {}) });
}
