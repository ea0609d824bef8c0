/** The SP metadata of the Neo local service provider (what "Get Metadata" gives), read like any uploaded metadata. */
import { z } from 'zod';
import { defineStep } from '../../../shared/workflow/defineStep';
import { PermanentStepError } from '../../../shared/workflow/stepOutcome';
import { neoServiceProviderMetadata } from '../../../shared/saml/neoServiceProviderMetadata';
import { parseSpMetadata } from '../../../shared/saml/spMetadata';
import { subaccountLabel } from '../../../shared/neoTrust/pacedNeoTrust';
import { serviceProviderFrom } from '../serviceProvider';
import { NeoSource, ServiceProvider } from '../spec';

const Input = z.object({ neo: NeoSource, name: z.string(), signingCertificate: z.string(), at: z.string() });
type Input = z.infer<typeof Input>;

export const neoSpMetadata = defineStep({
  kind: 'derive',
  id: 'neoSpMetadata',
  title: 'SP metadata of the Neo subaccount',
  system: ({ neo }: Input) => subaccountLabel(neo.target),
  input: Input,
  output: ServiceProvider,
  derive({ neo, name, signingCertificate, at }) {
    const xml = neoServiceProviderMetadata({ landscapeHost: neo.target.landscapeHost, subaccount: neo.target.subaccount, name, signingCertificate });
    const reading = parseSpMetadata(xml, new Date(at));
    if (!reading.ok) {
      throw new PermanentStepError({ system: subaccountLabel(neo.target), kind: 'Invalid', message: `the local service provider's metadata is not usable: ${reading.problems.join('; ')}`, fix: 'Check the local service provider in the BTP cockpit (Security > Trust), then start the run again.' });
    }
    const sp = serviceProviderFrom(reading.metadata);
    return { output: sp, detail: `${sp.entityId}, ACS ${sp.saml.acsEndpoints[0]?.location}` };
  },
});
