/** Reads the corporate IdP's identity federation settings from IAS instead of asking the administrator. */
import { z } from 'zod';
import { defineStep } from '../../../shared/workflow/defineStep';
import { PermanentStepError } from '../../../shared/workflow/stepOutcome';
import { chooseCorporateIdp, corporateIdpFacts } from '../corporateIdpFacts';
import { CorporateIdpFacts, iasSystem, MappingSpec } from '../spec';

const Input = z.object({ spec: MappingSpec });
type Input = z.infer<typeof Input>;

export const corporateIdp = defineStep({
  kind: 'check',
  outcome: 'checked',
  id: 'corporateIdp',
  title: 'Corporate IdP settings',
  system: ({ spec }: Input) => iasSystem(spec),
  input: Input,
  output: CorporateIdpFacts,
  async check(deps, { spec }) {
    const ias = await deps.ias(spec.ias.tenantHost, spec.ias.apiClientSecret);
    const chosen = chooseCorporateIdp(await ias.corporateIdps.list(), spec.corporateIdp);
    if ('problem' in chosen) throw new PermanentStepError({ system: iasSystem(spec), kind: 'CorporateIdp', message: chosen.problem, fix: chosen.fix });
    const facts = corporateIdpFacts(chosen.idp);
    const warnings = facts.localUsersAllowed
      ? []
      : [`corporate IdP "${facts.displayName}" does not allow local users (it does not use the IAS user store): BTP gets only what the IdP sends, so the attributes are enriched from it (seed 001 prerequisite)`];
    return { output: facts, detail: `${facts.displayName}: identity federation ${facts.identityFederation ? 'on' : 'off'}`, ...(warnings.length ? { warnings } : {}) };
  },
});
