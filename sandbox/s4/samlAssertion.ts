/**
 * Decodes the form's assertion and pre-reads issuer, subject and audience, so the token endpoint can
 * pick the communication system and log who asked even when the signature later fails. Decisions
 * after the signature check use sandbox/saml's facts from the signed content only.
 */
import { XMLParser } from 'fast-xml-parser';

export interface AssertionFacts {
  xml: string;
  issuer?: string;
  nameId?: string;
  audiences: string[];
}

export class AssertionFormatError extends Error {}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  isArray: (name) => ['Audience', 'AudienceRestriction', 'SubjectConfirmation', 'Assertion'].includes(name),
});

/** Accepts base64url (the destination default) and base64; RFC 7522 form values may keep '+' as ' '. */
export function decodeAssertion(encoded: string): string {
  const compact = encoded.replace(/ /g, '+').replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/_-]+=*$/.test(compact)) throw new AssertionFormatError('assertion is not base64 or base64url encoded');
  const xml = Buffer.from(compact.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8');
  if (!xml.trimStart().startsWith('<')) throw new AssertionFormatError('assertion does not decode to XML');
  return xml;
}

type Node = Record<string, unknown>;

function textOf(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (v && typeof v === 'object' && '#text' in v) return String((v as Node)['#text']);
  return undefined;
}

export function readAssertion(xml: string): AssertionFacts {
  let doc: Node;
  try {
    doc = parser.parse(xml, true) as Node;
  } catch {
    throw new AssertionFormatError('assertion is not well-formed XML');
  }
  const topLevel = doc.Assertion as Node[] | undefined;
  const inResponse = (doc.Response as Node | undefined)?.Assertion as Node[] | undefined;
  const assertions = [...(topLevel ?? []), ...(inResponse ?? [])];
  // More than one assertion is how signature-wrapping attacks look; SAP accepts exactly one.
  if (assertions.length !== 1) throw new AssertionFormatError(assertions.length === 0 ? 'no SAML 2.0 Assertion element' : 'more than one Assertion element');
  const a = assertions[0];
  const subject = (a.Subject ?? {}) as Node;
  const conditions = (a.Conditions ?? {}) as Node;
  const audiences = ((conditions.AudienceRestriction as Node[] | undefined) ?? [])
    .flatMap((r) => (r.Audience as unknown[] | undefined) ?? [])
    .map(textOf)
    .filter((x): x is string => x !== undefined);
  return {
    xml,
    issuer: textOf(a.Issuer),
    nameId: textOf(subject.NameID),
    audiences,
  };
}
