/**
 * Preflight: reads `$metadata` of the three SAP_COM_0A48 services and reports, for every property
 * the product intends to write (unconfirmedFields.INTENDED_WRITES), whether the tenant has it and
 * may accept it. A missing field is a capability, not a crash: the run falls back to a manual step.
 */
import type { XMLParser as XMLParserType } from 'fast-xml-parser';
import { S4ODataService } from './odataService';
import type { S4Connection, S4ServiceName } from './s4Connection';
import { createHash } from 'node:crypto';
import { recentlyUsed } from '../../memo/recentlyUsed';
import { INTENDED_WRITES, SIGNING_CERTIFICATE_FIELD } from './unconfirmedFields';

export interface EdmProperty {
  name: string;
  type: string;
  maxLength?: number;
  /** Core.Computed: server-set, not writable. */
  computed: boolean;
  /** Core.Immutable: writable on create only. */
  immutable: boolean;
}

export interface EdmEntityType {
  name: string;
  properties: Map<string, EdmProperty>;
  /** Navigation name → target entity type name (without namespace). */
  navigations: Map<string, string>;
}

export interface EdmModel {
  entityTypes: Map<string, EdmEntityType>;
  /** Entity set name → entity type name (without namespace). */
  entitySets: Map<string, string>;
}

export interface S4Capabilities {
  /** The communication system's signing certificate can be written through the API (gap G.1). */
  certificateUploadByApi: boolean;
  /** `<service>/<EntitySet>.<Property>` the product would write but the tenant does not offer (or marks read-only). */
  missing: string[];
}

const asArray = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const localName = (qualified: string) => qualified.replace(/^Collection\((.*)\)$/, '$1').split('.').pop() ?? qualified;

type Node = Record<string, unknown>;

function annotationTerms(node: Node): { term: string; bool?: string }[] {
  return asArray(node.Annotation as Node | Node[]).map((a) => ({ term: String(a['@_Term'] ?? ''), bool: a['@_Bool'] as string | undefined }));
}

function isTrueTerm(annotations: { term: string; bool?: string }[], termName: 'Computed' | 'Immutable'): boolean {
  return annotations.some((a) => (a.term.endsWith(`Core.${termName}`) || a.term.endsWith(`Core.V1.${termName}`)) && a.bool !== 'false');
}

/** Parses an OData V4 EDMX document (inline and external `Annotations` both understood). */
export function parseEdmx(xml: string): EdmModel {
  // Loaded at the first $metadata read (preflight), not when the app entry loads (cold start).
  const { XMLParser } = require('fast-xml-parser') as { XMLParser: typeof XMLParserType };
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@_',
    removeNSPrefix: true,
    parseAttributeValue: false,
    isArray: (name) => ['Schema', 'EntityType', 'Property', 'NavigationProperty', 'EntitySet', 'Annotation', 'Annotations', 'EntityContainer'].includes(name),
  });
  const doc = parser.parse(xml) as Node;
  const edmx = doc.Edmx as Node | undefined;
  const schemas = asArray(((edmx?.DataServices as Node | undefined)?.Schema ?? []) as Node[]);
  if (!edmx || schemas.length === 0) throw new Error('not an OData V4 $metadata document (no edmx:Edmx/DataServices/Schema)');
  const model: EdmModel = { entityTypes: new Map(), entitySets: new Map() };
  const external: { target: string; annotations: { term: string; bool?: string }[] }[] = [];
  for (const schema of schemas) {
    for (const et of asArray(schema.EntityType as Node[])) {
      const type: EdmEntityType = { name: String(et['@_Name']), properties: new Map(), navigations: new Map() };
      for (const p of asArray(et.Property as Node[])) {
        const annotations = annotationTerms(p);
        const maxLength = p['@_MaxLength'] !== undefined && /^\d+$/.test(String(p['@_MaxLength'])) ? Number(p['@_MaxLength']) : undefined;
        type.properties.set(String(p['@_Name']), {
          name: String(p['@_Name']),
          type: String(p['@_Type']),
          ...(maxLength !== undefined ? { maxLength } : {}),
          computed: isTrueTerm(annotations, 'Computed'),
          immutable: isTrueTerm(annotations, 'Immutable'),
        });
      }
      for (const n of asArray(et.NavigationProperty as Node[])) type.navigations.set(String(n['@_Name']), localName(String(n['@_Type'])));
      model.entityTypes.set(type.name, type);
    }
    for (const container of asArray(schema.EntityContainer as Node[])) {
      for (const set of asArray(container.EntitySet as Node[])) model.entitySets.set(String(set['@_Name']), localName(String(set['@_EntityType'])));
    }
    for (const a of asArray(schema.Annotations as Node[])) external.push({ target: String(a['@_Target'] ?? ''), annotations: annotationTerms(a) });
  }
  // External annotations target `<ns or alias>.<EntityType>/<Property>`.
  for (const { target, annotations } of external) {
    const m = /([^./]+)\/([^/]+)$/.exec(target);
    const prop = m ? model.entityTypes.get(m[1])?.properties.get(m[2]) : undefined;
    if (!prop) continue;
    if (isTrueTerm(annotations, 'Computed')) prop.computed = true;
    if (isTrueTerm(annotations, 'Immutable')) prop.immutable = true;
  }
  return model;
}

const MODELS_KEPT = 16;
const parsedModels = recentlyUsed<string, EdmModel>(MODELS_KEPT);

/**
 * parseEdmx by document content. Tenants of one S/4HANA Cloud release serve the same documents, so each
 * onboarding's preflight parsed the same three again, on its critical path (real ones are hundreds of
 * kilobytes). Keyed by the SHA-256 of the text: a tenant that serves anything else gets its own model.
 * The most recently used are kept. The models are shared: callers read them and never change them.
 */
export function edmModelOf(xml: string): EdmModel {
  return parsedModels(createHash('sha256').update(xml).digest('hex'), () => parseEdmx(xml));
}

/** Which intended writes of one service the model cannot take: `EntitySet.Property` or `EntitySet.Nav/Property`. */
export function missingWrites(model: EdmModel, intended: Record<string, readonly string[]>): string[] {
  const missing: string[] = [];
  for (const [entitySet, props] of Object.entries(intended)) {
    const type = model.entityTypes.get(model.entitySets.get(entitySet) ?? '');
    for (const path of props) {
      const [first, second] = path.split('/');
      const target = second === undefined ? type : model.entityTypes.get(type?.navigations.get(first) ?? '');
      const prop = target?.properties.get(second ?? first);
      if (!prop || prop.computed) missing.push(`${entitySet}.${path}`);
    }
  }
  return missing;
}

export function capabilitiesFromModels(models: Record<S4ServiceName, EdmModel>): S4Capabilities {
  const missing: string[] = [];
  for (const [service, intended] of Object.entries(INTENDED_WRITES) as [S4ServiceName, Record<string, readonly string[]>][]) {
    for (const m of missingWrites(models[service], intended)) missing.push(`${service}/${m}`);
  }
  const certificateUploadByApi = !missing.includes(`aps_com_cs_a4c_odata/CommunicationSystems.${SIGNING_CERTIFICATE_FIELD}`);
  return { certificateUploadByApi, missing };
}

/**
 * Only what a certificate push needs, from one `$metadata` document instead of three: whether the
 * tenant's CommunicationSystems take the signing certificate by API (as capabilitiesFromModels decides it).
 */
export async function readCertificateUploadByApi(connection: S4Connection): Promise<boolean> {
  const model = edmModelOf(await new S4ODataService(connection, 'aps_com_cs_a4c_odata').metadata());
  return missingWrites(model, { CommunicationSystems: [SIGNING_CERTIFICATE_FIELD] }).length === 0;
}

/** Reads the three `$metadata` documents of the tenant and reports the capabilities. */
export async function readS4Capabilities(connection: S4Connection): Promise<S4Capabilities> {
  const services: S4ServiceName[] = ['aps_com_cu_a4c_odata', 'aps_com_cs_a4c_odata', 'aps_com_ca_a4c_odata'];
  const documents = await Promise.all(services.map((s) => new S4ODataService(connection, s).metadata()));
  const models = {} as Record<S4ServiceName, EdmModel>;
  services.forEach((s, i) => {
    models[s] = edmModelOf(documents[i]);
  });
  return capabilitiesFromModels(models);
}
