/** Only where we mean to go (DESIGN §4.6): SAP host names are checked before any I/O. */
export const BUILT_IN_SAP_HOST_PATTERNS: readonly string[] = [
  '*.s4hana.ondemand.com',
  '*.s4hana.cloud.sap',
  '*.hana.ondemand.com',
  '*.accounts.ondemand.com',
  '*.accounts.cloud.sap',
  // China (Shanghai), cn40: SAP's region table gives it this domain (servicePins.ts cites it).
  '*.platform.sapcloud.cn',
];

/** `*.domain` matches any host below domain (not domain itself); anything else matches exactly. */
export function hostMatchesPattern(host: string, pattern: string): boolean {
  const h = host.toLowerCase().replace(/\.$/, '');
  const p = pattern.toLowerCase();
  if (p.startsWith('*.')) {
    const suffix = p.slice(1);
    return h.length > suffix.length && h.endsWith(suffix);
  }
  return h === p;
}

export function sapHostAllowlist(extra: readonly string[] = []): string[] {
  return [...BUILT_IN_SAP_HOST_PATTERNS, ...extra];
}

export function isSapHostAllowed(host: string, extra: readonly string[] = []): boolean {
  if (!/^[A-Za-z0-9.-]+$/.test(host)) return false;
  return sapHostAllowlist(extra).some((p) => hostMatchesPattern(host, p));
}
