/**
 * Is a Content-Type header JSON? `application/json` and `application/<anything>+json`, with no
 * charset or charset=utf-8 (JSON is UTF-8, RFC 8259 §8.1).
 */
export function isJsonContentType(header: string | null | undefined): boolean {
  if (!header) return false;
  const [mediaType, ...parameters] = header.split(';').map((part) => part.trim().toLowerCase());
  if (!/^application\/([a-z0-9!#$&^_.-]+\+)?json$/.test(mediaType)) return false;
  return parameters.every((p) => {
    const [name, value = ''] = p.split('=').map((s) => s.trim());
    return name !== 'charset' || /^"?utf-8"?$/.test(value);
  });
}
