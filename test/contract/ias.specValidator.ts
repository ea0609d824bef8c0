/**
 * Validators for the published IAS Application Directory spec (test/contract/specs/ias_SCI_Application_Directory.yaml),
 * built with ajv from the spec's own component schemas. OpenAPI 3.0 → JSON Schema: `nullable: true`
 * becomes a union with null. Two spec defects are corrected here, each contradicted by SAP's own material:
 *  - `PatchOperationValue` is declared `type: object`, but the spec's examples and the recorded
 *    Terraform PATCH send strings, booleans and arrays as values: the type is dropped.
 *  - `RBAConfiguration` requires `rules`, but every recorded GET returns `riskBasedAuthentication`
 *    as `{"defaultAction":["allow"]}` without rules: `rules` is not required.
 * Error bodies: the spec's responses point at `Error`, while IAS wraps it (`ErrorResponse`,
 * recorded 404 `{"error":{...}}`); bodies are checked against `ErrorResponse` with `error` required.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import YAML from 'yaml';
import { SPEC_DIR } from './specs/specDir';

export { SPEC_DIR };

type Json = Record<string, unknown>;

function convertNullable(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(convertNullable);
  if (!node || typeof node !== 'object') return node;
  const out: Json = {};
  for (const [k, v] of Object.entries(node as Json)) out[k] = convertNullable(v);
  if (out.nullable === true) {
    delete out.nullable;
    return { anyOf: [out, { type: 'null' }] };
  }
  delete out.nullable;
  return out;
}

export interface IasSpec {
  spec: Json;
  schema(name: string): ValidateFunction;
  /** The schema of a query parameter of `GET /` (getAllApplications). */
  listParameter(name: string): ValidateFunction;
}

export function loadIasSpec(): IasSpec {
  const spec = YAML.parse(readFileSync(path.join(SPEC_DIR, 'ias_SCI_Application_Directory.yaml'), 'utf8')) as Json;
  const components = convertNullable((spec.components as Json).schemas) as Record<string, Json>;
  delete components.PatchOperationValue.type;
  components.RBAConfiguration.required = (components.RBAConfiguration.required as string[]).filter((r) => r !== 'rules');
  components.ErrorResponse = { ...components.ErrorResponse, required: ['error'] };

  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema({ $id: 'ias.json', components: { schemas: components } });
  const cache = new Map<string, ValidateFunction>();
  const paths = spec.paths as Record<string, Record<string, { parameters?: { name: string; in: string; schema: Json }[] }>>;
  return {
    spec,
    schema(name) {
      if (!cache.has(name)) cache.set(name, ajv.compile({ $ref: `ias.json#/components/schemas/${name}` }));
      return cache.get(name)!;
    },
    listParameter(name) {
      const param = paths['/'].get.parameters?.find((p) => p.name === name && p.in === 'query');
      if (!param) throw new Error(`spec has no query parameter ${name} on GET /`);
      return ajv.compile(convertNullable(param.schema) as Json);
    },
  };
}

export function errorsOf(validate: ValidateFunction): string {
  return (validate.errors ?? []).map((e) => `${e.instancePath || '(root)'} ${e.message}`).join('; ');
}
