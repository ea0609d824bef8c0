/**
 * The alert a certificate check raises when tenants are `expiring` or in `mismatch`: one message that
 * names each subaccount, its tenants, the days left and what to do. Built from findings only, which
 * hold names and fingerprints: nothing secret can reach the text.
 */
export interface AlertFinding {
  tenantHost: string;
  subaccountId: string;
  status: 'expiring' | 'mismatch';
  daysLeft?: number;
  detail: string;
  fix: string;
}

export interface CertificateAlert {
  /** The check run that found it. */
  checkId: string;
  title: string;
  /** Plain text, one block per subaccount (Markdown-safe: no characters Slack or Teams interpret). */
  text: string;
  subaccounts: { subaccountId: string; tenants: string[]; statuses: string[]; minDaysLeft?: number }[];
  counts: { expiring: number; mismatch: number };
}

export function certificateAlert(checkId: string, findings: readonly AlertFinding[]): CertificateAlert | undefined {
  if (findings.length === 0) return undefined;
  const bySubaccount = new Map<string, AlertFinding[]>();
  for (const f of findings) bySubaccount.set(f.subaccountId, [...(bySubaccount.get(f.subaccountId) ?? []), f]);
  const counts = { expiring: findings.filter((f) => f.status === 'expiring').length, mismatch: findings.filter((f) => f.status === 'mismatch').length };
  const title = `SAP trust certificates: ${[counts.mismatch ? `${counts.mismatch} tenants in mismatch (token exchanges fail now)` : '', counts.expiring ? `${counts.expiring} tenants expiring` : ''].filter(Boolean).join(', ')}`;
  const blocks: string[] = [];
  const subaccounts: CertificateAlert['subaccounts'] = [];
  for (const [subaccountId, list] of bySubaccount) {
    const days = list.map((f) => f.daysLeft).filter((d): d is number => d !== undefined);
    const minDaysLeft = days.length ? Math.min(...days) : undefined;
    subaccounts.push({ subaccountId, tenants: list.map((f) => f.tenantHost), statuses: [...new Set(list.map((f) => f.status))], ...(minDaysLeft === undefined ? {} : { minDaysLeft }) });
    const lines = [`Subaccount ${subaccountId}${minDaysLeft === undefined ? '' : `, ${minDaysLeft} days left on its trust certificate`}:`];
    for (const f of list) lines.push(`- ${f.tenantHost}: ${f.status}${f.daysLeft === undefined ? '' : `, ${f.daysLeft} days left`}. ${f.detail}.`);
    // The fix is the same for the tenants of one status in one subaccount only for rotations; show each distinct one once.
    for (const fix of [...new Set(list.map((f) => f.fix))]) lines.push(`  What to do: ${fix}`);
    blocks.push(lines.join('\n'));
  }
  const text = `${title}\n\n${blocks.join('\n\n')}\n\nCertificate check ${checkId}; GET /api/certificates (sap-trust certificates) lists every tenant.`;
  return { checkId, title, text, subaccounts, counts };
}
