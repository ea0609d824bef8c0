/**
 * Reads SAML 2.0 service-provider metadata (contracts E.1–E.3), e.g. what the BTP cockpit's
 * "Get Metadata" produces for a Neo local service provider, with fast-xml-parser. The IAS REST API
 * takes no metadata XML (contracts C.3), so this is where the XML becomes data.
 *
 * Refused, each with its reason: a DOCTYPE or entity declaration (no XML entity is ever expanded:
 * external entities and entity bombs never reach the parser), malformed XML, no EntityDescriptor,
 * no entityID, no SPSSODescriptor, no AssertionConsumerService, endpoints without Binding or
 * Location, bad index values, unreadable, expired or not yet valid certificates.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { readMetadataCertificate, type MetadataCertificate } from './metadataCertificate';

export interface AssertionConsumerService {
  binding: string;
  location: string;
  index: number;
  isDefault?: boolean;
}

export interface SingleLogoutService {
  binding: string;
  location: string;
  responseLocation?: string;
}

export interface SpMetadata {
  entityId: string;
  assertionConsumerServices: AssertionConsumerService[];
  singleLogoutServices: SingleLogoutService[];
  signingCertificates: MetadataCertificate[];
  encryptionCertificate?: MetadataCertificate;
  nameIdFormats: string[];
  authnRequestsSigned?: boolean;
  wantAssertionsSigned?: boolean;
}

export type SpMetadataReading = { ok: true; metadata: SpMetadata } | { ok: false; problems: string[] };

/** Bigger than any SP metadata (a few KB); stops a megabyte of XML before the parser sees it. */
export const MAX_METADATA_CHARS = 200_000;

type Node = Record<string, unknown>;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  processEntities: false,
  trimValues: true,
  isArray: (name) => ['EntityDescriptor', 'SPSSODescriptor', 'KeyDescriptor', 'X509Certificate', 'X509Data', 'AssertionConsumerService', 'SingleLogoutService', 'NameIDFormat'].includes(name),
});

const list = (value: unknown): Node[] => (Array.isArray(value) ? (value as Node[]) : value === undefined ? [] : [value as Node]);
const text = (value: unknown): string => (typeof value === 'string' ? value : value && typeof value === 'object' ? String((value as Node)['#text'] ?? '') : '').trim();
const attribute = (node: Node, name: string): string | undefined => {
  const value = node[`@_${name}`];
  return typeof value === 'string' ? value.trim() : undefined;
};

function booleanAttribute(node: Node, name: string, problems: string[], where: string): boolean | undefined {
  const value = attribute(node, name);
  if (value === undefined) return undefined;
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  problems.push(`${where} ${name}="${value.slice(0, 40)}" is not a boolean`);
  return undefined;
}

function certificatesOf(descriptor: Node): string[] {
  return list(descriptor.KeyInfo).flatMap((info) => list(info.X509Data).flatMap((data) => list(data.X509Certificate).map(text)));
}

export function parseSpMetadata(xml: string, now: Date): SpMetadataReading {
  if (xml.length > MAX_METADATA_CHARS) return { ok: false, problems: [`the metadata is larger than ${MAX_METADATA_CHARS} characters; SP metadata is a few KB`] };
  if (/<!DOCTYPE/i.test(xml) || /<!ENTITY/i.test(xml)) {
    return { ok: false, problems: ['the metadata contains a DOCTYPE or entity declaration; SAML metadata needs none, and entities are never expanded here (external entities, entity expansion)'] };
  }
  const valid = XMLValidator.validate(xml);
  if (valid !== true) return { ok: false, problems: [`the metadata is not well-formed XML: ${valid.err.msg} (line ${valid.err.line}, column ${valid.err.col})`] };

  let document: Node;
  try {
    document = parser.parse(xml) as Node;
  } catch (e) {
    return { ok: false, problems: [`the metadata is not well-formed XML: ${(e as Error).message}`] };
  }
  const entities = list(document.EntityDescriptor);
  if (entities.length !== 1) {
    return { ok: false, problems: [entities.length === 0 ? 'the metadata has no EntityDescriptor root element' : 'the metadata holds several EntityDescriptor elements; give the metadata of one service provider'] };
  }
  const entity = entities[0];
  const problems: string[] = [];
  const entityId = attribute(entity, 'entityID');
  if (!entityId) problems.push('the EntityDescriptor has no entityID');
  const sps = list(entity.SPSSODescriptor);
  if (sps.length === 0) return { ok: false, problems: [...problems, 'the metadata has no SPSSODescriptor: it does not describe a SAML service provider'] };
  const sp = sps[0];

  const assertionConsumerServices: AssertionConsumerService[] = [];
  list(sp.AssertionConsumerService).forEach((acs, i) => {
    const where = `AssertionConsumerService #${i + 1}`;
    const binding = attribute(acs, 'Binding');
    const location = attribute(acs, 'Location');
    const indexText = attribute(acs, 'index');
    if (!binding) problems.push(`${where} has no Binding`);
    if (!location) problems.push(`${where} has no Location`);
    if (indexText === undefined || !/^[0-9]{1,5}$/.test(indexText)) problems.push(`${where} has ${indexText === undefined ? 'no index' : `index "${indexText.slice(0, 20)}", not a number`}`);
    const isDefault = booleanAttribute(acs, 'isDefault', problems, where);
    if (binding && location && indexText && /^[0-9]{1,5}$/.test(indexText)) {
      assertionConsumerServices.push({ binding, location, index: Number(indexText), ...(isDefault === undefined ? {} : { isDefault }) });
    }
  });
  if (list(sp.AssertionConsumerService).length === 0) problems.push('the SPSSODescriptor has no AssertionConsumerService: IAS would not know where to send assertions');
  const indexes = assertionConsumerServices.map((a) => a.index);
  const repeated = indexes.filter((index, i) => indexes.indexOf(index) !== i);
  if (repeated.length > 0) problems.push(`AssertionConsumerService index ${[...new Set(repeated)].join(', ')} is used more than once`);

  const singleLogoutServices: SingleLogoutService[] = [];
  list(sp.SingleLogoutService).forEach((slo, i) => {
    const binding = attribute(slo, 'Binding');
    const location = attribute(slo, 'Location');
    if (!binding || !location) {
      problems.push(`SingleLogoutService #${i + 1} has no ${!binding ? 'Binding' : 'Location'}`);
      return;
    }
    const responseLocation = attribute(slo, 'ResponseLocation');
    singleLogoutServices.push({ binding, location, ...(responseLocation ? { responseLocation } : {}) });
  });

  const signingCertificates: MetadataCertificate[] = [];
  let encryptionCertificate: MetadataCertificate | undefined;
  list(sp.KeyDescriptor).forEach((descriptor, i) => {
    const use = attribute(descriptor, 'use');
    const texts = certificatesOf(descriptor);
    if (texts.length === 0) problems.push(`KeyDescriptor #${i + 1} holds no X509Certificate`);
    for (const certificateText of texts) {
      const reading = readMetadataCertificate(certificateText, now);
      if (!reading.ok) {
        problems.push(`the ${use ?? 'signing and encryption'} certificate of KeyDescriptor #${i + 1} ${reading.problem}`);
        continue;
      }
      // SAML metadata §2.4.1.1: a KeyDescriptor without `use` serves both purposes.
      if (use === undefined || use === 'signing') {
        if (!signingCertificates.some((c) => c.fingerprintSha256 === reading.certificate.fingerprintSha256)) signingCertificates.push(reading.certificate);
      }
      if ((use === undefined || use === 'encryption') && !encryptionCertificate) encryptionCertificate = reading.certificate;
      if (use !== undefined && use !== 'signing' && use !== 'encryption') problems.push(`KeyDescriptor #${i + 1} has use="${use.slice(0, 20)}"; SAML knows signing and encryption`);
    }
  });

  const nameIdFormats = list(sp.NameIDFormat).map(text).filter(Boolean);
  const authnRequestsSigned = booleanAttribute(sp, 'AuthnRequestsSigned', problems, 'SPSSODescriptor');
  const wantAssertionsSigned = booleanAttribute(sp, 'WantAssertionsSigned', problems, 'SPSSODescriptor');
  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    metadata: {
      entityId: entityId!,
      assertionConsumerServices,
      singleLogoutServices,
      signingCertificates,
      ...(encryptionCertificate ? { encryptionCertificate } : {}),
      nameIdFormats,
      ...(authnRequestsSigned === undefined ? {} : { authnRequestsSigned }),
      ...(wantAssertionsSigned === undefined ? {} : { wantAssertionsSigned }),
    },
  };
}
