/**
 * GET /Applications/v1/ as IAS pages it: `filter` with `eq` on id, parentApplicationId, name
 * (core schema) and clientID (Authentication schema); `limit` 1..100 (default 100); `skip`;
 * `cursor` = the id the page starts at. Applications come ordered by id (recorded list), and
 * `nextCursor` is present only when another page follows.
 */
import { AUTHENTICATION_SCHEMA } from './applicationSchema';
import type { ErrorDetail } from './iasResponses';
import type { StoredApplication } from './iasState';

const FILTERABLE: Record<string, (app: StoredApplication) => unknown> = {
  id: (app) => app.id,
  parentApplicationId: (app) => app.parentApplicationId,
  name: (app) => app.name,
  clientID: (app) => (app[AUTHENTICATION_SCHEMA] as Record<string, unknown> | undefined)?.clientId,
};

export interface ApplicationPage {
  totalResults: number;
  itemsPerPage: number;
  nextCursor?: string;
  applications: StoredApplication[];
}

function parseFilter(filter: string): { attribute: string; value: string } | undefined {
  const match = /^\s*([A-Za-z]+)\s+eq\s+(.+?)\s*$/.exec(filter);
  if (!match || !(match[1] in FILTERABLE)) return undefined;
  const raw = match[2];
  const quoted = /^"(.*)"$/.exec(raw) ?? /^'(.*)'$/.exec(raw);
  return { attribute: match[1], value: quoted ? quoted[1] : raw };
}

function integer(value: string | null, fallback: number): number | undefined {
  if (value === null) return fallback;
  return /^[0-9]+$/.test(value) ? Number(value) : undefined;
}

export function listApplications(all: StoredApplication[], query: URLSearchParams): { page: ApplicationPage } | { errors: ErrorDetail[] } {
  const errors: ErrorDetail[] = [];
  const filterText = query.get('filter');
  const filter = filterText === null ? undefined : parseFilter(filterText);
  if (filterText !== null && (!filter || filterText.length > 255)) {
    errors.push({ target: 'filter', message: `Unsupported filter "${filterText}". Use <attribute> eq <value> with id, parentApplicationId, name or clientID.` });
  }
  const limit = integer(query.get('limit'), 100);
  if (limit === undefined || limit < 1 || limit > 100) errors.push({ target: 'limit', message: 'limit must be an integer between 1 and 100.' });
  const skip = integer(query.get('skip'), 0);
  if (skip === undefined) errors.push({ target: 'skip', message: 'skip must be a non-negative integer.' });
  const cursor = query.get('cursor');
  if (cursor !== null && !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(cursor)) {
    errors.push({ target: 'cursor', message: 'cursor must be a UUID.' });
  }
  if (errors.length > 0 || limit === undefined || skip === undefined) return { errors };

  const matching = all
    .filter((app) => !filter || FILTERABLE[filter.attribute](app) === filter.value)
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const start = cursor === null ? skip : matching.findIndex((app) => app.id >= cursor.toLowerCase());
  const from = start < 0 ? matching.length : start;
  const applications = matching.slice(from, from + limit);
  const next = matching[from + limit];
  return {
    page: {
      totalResults: matching.length,
      itemsPerPage: applications.length,
      ...(next ? { nextCursor: next.id } : {}),
      applications,
    },
  };
}
