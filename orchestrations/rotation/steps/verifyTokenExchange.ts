/**
 * The proof, per tenant of a batch: the Destination service's "find destination" performs the SAML bearer
 * exchange with the certificate BTP signs with now, as the onboarding's verify step does. Token values are
 * never kept. A refused exchange is a value, so the orchestrator can push that tenant again.
 */
import { z } from 'zod';
import { defineStep } from '../../../shared/workflow/defineStep';
import { PermanentStepError, TransientStepError } from '../../../shared/workflow/stepOutcome';
import { isTemporaryTokenServiceFailure } from '../../onboarding/steps/verify';
import { VerifyOutput } from '../references';
import { RotationTenant, Subaccount } from '../spec';
import { eachTenant, isTransientError, settleQuickly } from '../tenantOutcome';

const Input = z.object({ subaccount: Subaccount, tenants: z.array(RotationTenant) });

export function verifyTokenExchangeStep(id: string, title: string) {
  return defineStep({
    kind: 'check',
    id,
    title,
    outcome: 'verified',
    system: ({ tenants }: z.infer<typeof Input>) => tenants.map((t) => t.tenant).join(', '),
    input: Input,
    output: VerifyOutput,
    assumeInPlan: ({ tenants }) => ({ output: { tenants: tenants.map((t) => ({ tenantHost: t.tenantHost, ok: false })) }, detail: `a run exchanges a SAML assertion through the destination of each of ${tenants.length} tenant(s)` }),
    async check(deps, { subaccount, tenants }) {
      const destinations = await deps.destinationService(subaccount.destinationServiceKeySecret, subaccount.subaccountId, subaccount.region);
      const results = await eachTenant(id, tenants, (t) =>
        settleQuickly(async () => {
          const found = await destinations.findDestination(t.destinationName);
          if (found.tokenExchange.ok) return true;
          const sapMessage = found.tokenExchange.error ?? 'no token and no error text';
          if (isTemporaryTokenServiceFailure(sapMessage)) throw new TransientStepError(t.tenant, `the token service of ${t.tenantHost} did not decide: ${sapMessage}`);
          throw new PermanentStepError({
            system: t.tenant,
            kind: 'TokenExchangeFailed',
            message: `the SAML bearer token exchange through destination ${t.destinationName} failed: ${sapMessage}`,
            fix: `Communication system ${t.communicationSystemId} on ${t.tenant} must hold the subaccount's active trust certificate: start a repair (POST /api/repairs).`,
          });
        }, isTransientError),
      );
      const out = results.map(({ tenant, problem }) => ({ tenantHost: tenant.tenantHost, ok: !problem, ...(problem ? { problem } : {}) }));
      const failed = out.filter((o) => !o.ok);
      return { output: { tenants: out }, detail: `${out.length - failed.length} of ${out.length} token exchanges verified`, warnings: failed.map((f) => `${f.tenantHost}: ${f.problem!.message}`) };
    },
  });
}
