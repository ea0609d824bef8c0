/**
 * One verdict on a trust document: its shape (400), then its use case and field rules (422). Nothing
 * is imported unless `ok`. Messages name rules and paths, never a key.
 */
import type { FieldError } from '../schemas/fieldErrors';
import { validationErrors } from '../schemas/fieldErrors';
import { fieldFindings } from './fieldRules';
import type { TrustFinding } from './trustFinding';
import { TrustDocument } from './trustDocument';
import { useCaseFindings, USE_CASES, type UseCase } from './useCases';

export interface TrustValidation {
  useCase: UseCase;
  useCaseTitle: string;
  errors: TrustFinding[];
  warnings: TrustFinding[];
}

export type CheckedTrustDocument =
  | { ok: true; document: TrustDocument; validation: TrustValidation }
  | { ok: false; status: 400; fields: FieldError[] }
  | { ok: false; status: 422; validation: TrustValidation; fields: FieldError[] };

export function validateTrustDocument(document: TrustDocument, now: Date): TrustValidation {
  const { useCase, findings } = useCaseFindings(document);
  const all = [...findings, ...fieldFindings(document, now)];
  return {
    useCase,
    useCaseTitle: USE_CASES[useCase],
    errors: all.filter((f) => f.severity === 'error'),
    warnings: all.filter((f) => f.severity === 'warning'),
  };
}

/** `prefix` is where the document sits in the request body, e.g. `document`. */
export function checkTrustDocument(value: unknown, now: Date, prefix = ''): CheckedTrustDocument {
  const at = (field: string) => (prefix ? (field === 'body' || field === 'document' ? prefix : `${prefix}.${field}`) : field);
  const shape = TrustDocument.safeParse(value);
  if (!shape.success) return { ok: false, status: 400, fields: validationErrors(shape.error, TrustDocument).map((f) => ({ ...f, field: at(f.field) })) };
  const validation = validateTrustDocument(shape.data, now);
  if (validation.errors.length > 0) {
    return { ok: false, status: 422, validation, fields: validation.errors.map((e) => ({ field: at(e.path), message: `[${e.rule}] ${e.message}` })) };
  }
  return { ok: true, document: shape.data, validation };
}

export function describeFindings(findings: readonly TrustFinding[]): string {
  return findings.map((f) => `${f.path}: [${f.rule}] ${f.message}`).join('; ');
}
