/**
 * The instances whose id starts with a prefix, without their inputs: the Durable HTTP API's list query
 * `instanceIdPrefix` (the extension's HttpApiHandler and devhost both honour it, with `showInput` and
 * continuation tokens). Finding the runs of one key this way reads a handful of rows, where listing
 * every instance read all of them, inputs included, on every start.
 *
 * durable-functions 3.x has no prefix filter (getStatusBy sends only times and statuses), so this module
 * sends the request the client itself sends for getStatusBy, built from the client's binding data: its
 * `rpcBaseUrl`, or else its keyed `statusQueryGetUri`. That data is not public API (durable-runtime-notes
 * §2.1, §2.2); when a client does not carry it in that shape, the answer comes from the client's full
 * list, filtered here: the same instances, only slower.
 */
import type { DurableClient, DurableOrchestrationStatus } from 'durable-functions';
import { z } from 'zod';

const ClientData = z.object({
  rpcBaseUrl: z.string().url().optional(),
  managementUrls: z.object({ id: z.string().min(1), statusQueryGetUri: z.string().url() }),
});

export interface PrefixQueryOptions {
  /** Rows per page the host is asked for; the pages are followed with `x-ms-continuation-token`. */
  pageSize?: number;
}

export async function instancesByPrefix(client: DurableClient, prefix: string, options: PrefixQueryOptions = {}): Promise<DurableOrchestrationStatus[]> {
  const url = listUrl(client, prefix, options.pageSize);
  if (!url) return (await client.getStatusBy({})).filter((s) => s.instanceId.startsWith(prefix));
  const found: DurableOrchestrationStatus[] = [];
  let token: string | undefined;
  do {
    const response = await fetch(url, token ? { headers: { 'x-ms-continuation-token': token } } : {});
    const text = await response.text();
    if (response.status !== 200) {
      throw new Error(`the Durable Functions extension answered the instance query for '${prefix}' with HTTP ${response.status}: ${text.slice(0, 300)}`);
    }
    found.push(...(JSON.parse(text) as DurableOrchestrationStatus[]));
    // Followed as the client follows it, empty pages included (a table query segment may be empty and go on);
    // a token handed out twice in a row would never end.
    const next = response.headers.get('x-ms-continuation-token') || undefined;
    token = next !== token ? next : undefined;
  } while (token);
  // The host filters already; this keeps the promise even if one ignored the parameter.
  return found.filter((s) => s.instanceId.startsWith(prefix));
}

/** The list URL with the prefix, or undefined when the client's binding data is not in the known shape. */
function listUrl(client: DurableClient, prefix: string, pageSize: number | undefined): string | undefined {
  const data = ClientData.safeParse((client as unknown as { clientData?: unknown }).clientData);
  if (!data.success) return undefined;
  const query = new URLSearchParams({ instanceIdPrefix: prefix, showInput: 'false' });
  if (pageSize) query.set('top', String(pageSize));
  const { rpcBaseUrl, managementUrls } = data.data;
  if (rpcBaseUrl) return `${new URL('instances/', rpcBaseUrl).href}?${query}`;
  // The keyed public route: the status URL of instance "" is the list (notes §2.2, "legacy").
  const list = new URL(managementUrls.statusQueryGetUri.replace(managementUrls.id, ''));
  for (const [name, value] of query) list.searchParams.set(name, value);
  return list.href;
}
