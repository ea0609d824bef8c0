/**
 * `$metadata` (EDMX 4.0) of the three SAP_COM_0A48 services, generated from fieldModel.ts so the
 * document lists exactly what the sandbox accepts. Read-only properties carry Core.Computed,
 * create-only ones Core.Immutable. Properties hidden by a tenant switch are left out entirely.
 */
import type { EntityModel, PropertyModel, ServiceModel } from './fieldModel';

const CORE = 'Org.OData.Core.V1';

function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function propertyXml(p: PropertyModel): string {
  const attrs = [`Name="${p.name}"`, `Type="${p.type}"`];
  if (p.maxLength !== undefined) attrs.push(`MaxLength="${p.maxLength}"`);
  if (p.type === 'Edm.Guid' && p.computed) attrs.push('Nullable="false"');
  const annotations: string[] = [];
  if (p.computed) annotations.push(`<Annotation Term="${CORE}.Computed" Bool="true"/>`);
  if (p.immutable) annotations.push(`<Annotation Term="${CORE}.Immutable" Bool="true"/>`);
  if (p.writeOnly) annotations.push(`<Annotation Term="${CORE}.Permissions" EnumMember="${CORE}.Permission/Write"/>`);
  if (p.values) annotations.push(`<Annotation Term="${CORE}.Description" String="${escapeXml(`one of: ${p.values.join(', ')}`)}"/>`);
  return annotations.length === 0
    ? `<Property ${attrs.join(' ')}/>`
    : `<Property ${attrs.join(' ')}>${annotations.join('')}</Property>`;
}

function entityTypeXml(e: EntityModel, namespace: string, hidden: ReadonlySet<string>): string {
  const props = e.properties.filter((p) => !hidden.has(p.name)).map(propertyXml);
  const navs = e.navigations.map((n) =>
    n.collection
      ? `<NavigationProperty Name="${n.name}" Type="Collection(${namespace}.${n.target})"/>`
      : `<NavigationProperty Name="${n.name}" Type="${namespace}.${n.target}"/>`,
  );
  return `<EntityType Name="${e.type}"><Key><PropertyRef Name="${e.key}"/></Key>${props.join('')}${navs.join('')}</EntityType>`;
}

export function namespaceOf(service: ServiceModel): string {
  return `com.sap.gateway.srvd_a2x.${service.service}.v0001`;
}

export function metadataDocument(service: ServiceModel, hidden: ReadonlySet<string>): string {
  const ns = namespaceOf(service);
  const types = service.entities.map((e) => entityTypeXml(e, ns, hidden)).join('');
  const sets = service.entities
    .filter((e) => e.entitySet)
    .map((e) => {
      const bindings = e.navigations
        .map((n) => service.entities.find((t) => t.type === n.target && t.entitySet))
        .map((t, i) => (t ? `<NavigationPropertyBinding Path="${e.navigations[i].name}" Target="${t.entitySet}"/>` : ''))
        .join('');
      return `<EntitySet Name="${e.entitySet}" EntityType="${ns}.${e.type}">${bindings}</EntitySet>`;
    })
    .join('');
  return (
    '<?xml version="1.0" encoding="utf-8"?>' +
    '<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">' +
    `<edmx:Reference Uri="https://oasis-tcs.github.io/odata-vocabularies/vocabularies/${CORE}.xml"><edmx:Include Namespace="${CORE}" Alias="Core"/></edmx:Reference>` +
    `<edmx:DataServices><Schema Namespace="${ns}" Alias="SAP__self" xmlns="http://docs.oasis-open.org/odata/ns/edm">` +
    types +
    `<EntityContainer Name="Container">${sets}</EntityContainer>` +
    '</Schema></edmx:DataServices></edmx:Edmx>'
  );
}
