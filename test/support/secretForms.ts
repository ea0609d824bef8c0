/** The forms a secret value could take on its way into a text: as is, URL-, JSON-, hex- and base64-encoded. */
export function secretForms(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8');
  return [...new Set([secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1), bytes.toString('hex'), bytes.toString('base64').replace(/=+$/, ''), bytes.toString('base64url')])];
}

/** `label: found in source` for each secret (in any form) a source holds. */
export function secretLeaks(secrets: { label: string; value: string }[], sources: { label: string; text: string }[]): string[] {
  return secrets.flatMap((secret) => sources.filter((source) => secretForms(secret.value).some((form) => source.text.includes(form))).map((source) => `${secret.label}: found in ${source.label}`));
}
