/**
 * What an administrator does by hand between onboarding runs, through the same SAP APIs (and the
 * product's SAP clients) with their own credentials: edit a destination, replace a communication
 * system's signing certificate, upload the certificate in "Fiori" (the sandbox's manual route).
 */
import { X509Certificate } from 'node:crypto';
import forge from 'node-forge';
import { createDestinationServiceClient } from '../../../shared/sap/destination';
import { createS4Client } from '../../../shared/sap/s4';
import type { SapConnectionOptions } from '../../../shared/sap/http';
import type { Landscape, OnboardingStack } from '../../support/onboardingStack';

export function adminConnection(stack: OnboardingStack): SapConnectionOptions {
  return { connectTo: stack.sandbox.connectTo, extraCaPem: stack.sandbox.caPem, timeoutMs: 10_000 };
}

export function adminDestinations(stack: OnboardingStack, landscape: Landscape) {
  return createDestinationServiceClient({ serviceKey: landscape.serviceKey as never, options: adminConnection(stack) });
}

export function adminS4(stack: OnboardingStack, landscape: Landscape) {
  return createS4Client({ apiHost: landscape.s4Host, user: landscape.bootstrapUser.name, password: landscape.bootstrapUser.password, options: adminConnection(stack) });
}

/** A self-signed certificate that is not the subaccount's: what a wrong upload looks like. */
export function otherCertificate(commonName: string): { pem: string; base64Der: string } {
  const keys = forge.pki.rsa.generateKeyPair({ bits: 1024, e: 0x10001 });
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = '01';
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + 86_400_000 * 365);
  const subject = [{ name: 'commonName', value: commonName }];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.sign(keys.privateKey, forge.md.sha256.create());
  const pem = forge.pki.certificateToPem(cert);
  return { pem, base64Der: new X509Certificate(pem).raw.toString('base64') };
}

/** Plays the person in the Fiori app "Communication Systems": uploads the certificate and sets the issuer. */
export async function uploadInFiori(stack: OnboardingStack, landscape: Landscape, systemId: string, certificatePem: string, samlIssuer: string) {
  const answer = await stack.sap(`https://${landscape.s4Host}/__sandbox/manual/communication-systems/${encodeURIComponent(systemId)}/signing-certificate`, {
    method: 'POST',
    body: { certificate: certificatePem, samlIssuer, activate: true },
  });
  if (answer.status !== 200) throw new Error(`manual upload: HTTP ${answer.status} ${answer.text}`);
  return answer.json();
}

/** 'AB:CD:…' or 'abcd…' → 'abcd…'. */
export const normalizeFingerprint = (fp: string) => fp.replace(/:/g, '').toLowerCase();
