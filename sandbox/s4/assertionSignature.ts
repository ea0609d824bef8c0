/**
 * Does the assertion's XML signature verify against the communication system's signing certificate?
 * The check must cover the Assertion element itself (a signature over something else does not count).
 * Uses xml-crypto directly; sandbox/saml's verifyAssertion(xml, trustedCertPem) is the shared
 * implementation once it exists, and this adapter is the one place to switch to it.
 */
import { DOMParser, type Element } from '@xmldom/xmldom';
import { SignedXml } from 'xml-crypto';

const DSIG = 'http://www.w3.org/2000/09/xmldsig#';
const SAML = 'urn:oasis:names:tc:SAML:2.0:assertion';

export function verifyAssertionSignature(xml: string, trustedCertPem: string): boolean {
  const doc = new DOMParser().parseFromString(xml, 'text/xml');
  const assertions = doc.getElementsByTagNameNS(SAML, 'Assertion');
  if (assertions.length !== 1) return false;
  const assertion = assertions[0];
  const assertionId = assertion.getAttribute('ID');
  if (!assertionId) return false;
  const signatures = Array.from(assertion.childNodes).filter(
    (n): n is Element => n.nodeType === 1 && (n as Element).localName === 'Signature' && (n as Element).namespaceURI === DSIG,
  );
  if (signatures.length !== 1) return false;
  const sig = new SignedXml({ publicCert: trustedCertPem, getCertFromKeyInfo: () => null });
  sig.loadSignature(signatures[0] as never);
  if (!sig.checkSignature(xml)) return false;
  // The one reference must point at this assertion.
  const refs = sig.getReferences();
  return refs.length === 1 && refs[0].uri === `#${assertionId}`;
}
