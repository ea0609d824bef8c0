/** One thing a rule found in a trust document: the rule's name, the JSON path, and what is wrong. */
export interface TrustFinding {
  /** Stable rule name, e.g. `certificate-not-expired`, `use-case/fully-featured-idps`. */
  rule: string;
  /** JSON path in the document, e.g. `applicationIdentityProviders.identityProviders[0].ssoUrl`; `document` for the whole. */
  path: string;
  message: string;
  severity: 'error' | 'warning';
}

export type JsonPath = readonly (string | number)[];

export function pathText(path: JsonPath): string {
  if (path.length === 0) return 'document';
  return path.map((p) => (typeof p === 'number' ? `[${p}]` : String(p))).join('.').replace(/\.\[/g, '[');
}

export const idpPath = (index: number, ...rest: (string | number)[]): JsonPath => ['applicationIdentityProviders', 'identityProviders', index, ...rest];
export const lspPath = (...rest: (string | number)[]): JsonPath => ['localServiceProvider', ...rest];

export function finding(rule: string, path: JsonPath, message: string, severity: TrustFinding['severity'] = 'error'): TrustFinding {
  return { rule, path: pathText(path), message, severity };
}
