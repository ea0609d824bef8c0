/**
 * Seed 000 in the BTP cockpit, as data: the Neo subaccount's local service provider becomes Custom
 * with a generated key pair (RSA 2048, self-signed). The application identity providers are kept as
 * they are. This step only prepares the document and stores it, private key included, in the
 * SecretStore; the Neo helper's safe import (back up, import, read back) writes it to SAP.
 * A Custom provider whose certificate is valid for another 30 days is kept: a re-run writes nothing.
 */
import { z } from 'zod';
import { defineStep } from '../../../shared/workflow/defineStep';
import { MASKED, type FieldChange } from '../../../shared/workflow/stepPlan';
import { readMetadataCertificate } from '../../../shared/saml/metadataCertificate';
import { createSelfSignedKeyPair, type SelfSignedKeyPair } from '../../../shared/certificates/selfSignedCertificate';
import { pacedNeoTrust, subaccountLabel } from '../../../shared/neoTrust/pacedNeoTrust';
import { storeTrustDocument } from '../../../shared/neoTrust/trustVault';
import type { TrustDocument } from '../../../shared/neoTrust/trustDocument';
import { NOT_FOUND_NOTE, readTarget } from '../../neoTrust/steps/readTarget';
import { NeoSource } from '../spec';

const Input = z.object({ neo: NeoSource });
type Input = z.infer<typeof Input>;
export const NeoLocalServiceProvider = z.object({
  name: z.string(),
  /** base64 DER: public. */
  signingCertificate: z.string(),
  /** The stored document to import; absent when the subaccount already holds a usable Custom provider. */
  documentSecret: z.string().optional(),
});

/** A certificate closer to its end than this is replaced, not kept. */
const MIN_REMAINING_DAYS = 30;

interface Current {
  document: TrustDocument;
  notFound: boolean;
  /** Generated in read (it never leaves the activity) when the subaccount needs a new key pair. */
  fresh?: SelfSignedKeyPair;
  keep?: string;
}

function usableCertificate(document: TrustDocument, now: Date): string | undefined {
  const lsp = document.localServiceProvider;
  if (document.configurationType !== 'Custom' || !lsp?.signingCertificate || !lsp.signingKey) return undefined;
  const reading = readMetadataCertificate(lsp.signingCertificate, new Date(now.getTime() + MIN_REMAINING_DAYS * 86_400_000));
  return reading.ok ? lsp.signingCertificate : undefined;
}

const wantedName = (neo: Input['neo'], document: TrustDocument) => (document.configurationType === 'Custom' && document.localServiceProvider?.name) || neo.localServiceProviderName;

export const neoLocalServiceProvider = defineStep({
  id: 'neoLocalServiceProvider',
  title: 'Neo local service provider (Custom, key pair)',
  system: ({ neo }: Input) => subaccountLabel(neo.target),
  input: Input,
  output: NeoLocalServiceProvider,
  async read(deps, { neo }): Promise<Current> {
    const read = await readTarget(await pacedNeoTrust(deps, neo.target));
    const keep = usableCertificate(read.document, deps.now());
    if (keep) return { ...read, keep };
    const name = wantedName(neo, read.document);
    return { ...read, fresh: createSelfSignedKeyPair({ commonName: name.slice(0, 64), validDays: neo.keyValidDays, now: deps.now() }) };
  },
  diff({ document, notFound, fresh, keep }, { neo }) {
    const object = `local service provider of ${subaccountLabel(neo.target)}`;
    const name = wantedName(neo, document);
    const warnings = notFound ? [NOT_FOUND_NOTE] : [];
    if (keep) return { action: 'unchanged', object, changes: [], output: { name, signingCertificate: keep }, detail: `Custom, ${name}, certificate kept`, warnings };
    const changes: FieldChange[] = [
      ...(document.configurationType !== 'Custom' ? [{ field: 'configurationType', from: document.configurationType, to: 'Custom' }] : []),
      ...(document.localServiceProvider?.name !== name ? [{ field: 'localServiceProvider.name', ...(document.localServiceProvider?.name ? { from: document.localServiceProvider.name } : {}), to: name }] : []),
      { field: 'localServiceProvider.signingCertificate', ...(document.localServiceProvider?.signingCertificate ? { from: 'a certificate that expires within 30 days or has no key' } : {}), to: `new self-signed RSA 2048 certificate, valid until ${fresh!.notAfter}` },
      { field: 'localServiceProvider.signingKey', to: MASKED },
    ];
    const idps = document.applicationIdentityProviders?.identityProviders.length ?? 0;
    return { action: document.localServiceProvider ? 'update' : 'create', object, changes, output: { name, signingCertificate: fresh!.certificateBase64 }, detail: `${idps} application identity provider(s) kept`, warnings };
  },
  async write(deps, { neo }, { document, fresh }, diff) {
    const { signingKey: _key, signingCertificate: _cert, ...rest } = document.localServiceProvider ?? { name: diff.output.name };
    const wanted: TrustDocument = {
      configurationType: 'Custom',
      localServiceProvider: { ...rest, name: diff.output.name, signingKey: fresh!.privateKeyPkcs8Base64, signingCertificate: fresh!.certificateBase64 },
      applicationIdentityProviders: document.applicationIdentityProviders ?? { identityProviders: [] },
    };
    const { secretName } = await storeTrustDocument(deps.secrets, wanted);
    return { output: { ...diff.output, documentSecret: secretName }, detail: `new key pair stored in the SecretStore (${secretName}); the safe import writes it` };
  },
});
