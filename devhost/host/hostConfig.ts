/** The parts of host.json devhost honours (durable-runtime-notes 4.5). */
import fs from 'node:fs';
import { z } from 'zod';

const HostJson = z.looseObject({
  version: z.string().optional(),
  extensions: z
    .looseObject({
      http: z.looseObject({ routePrefix: z.string().optional() }).optional(),
      durableTask: z
        .looseObject({
          hubName: z
            .string()
            .regex(/^[A-Za-z][A-Za-z0-9]*$/, 'hubName: letters and digits, starting with a letter')
            .optional(),
          maxConcurrentActivityFunctions: z.number().int().positive().optional(),
          localRpcEndpointEnabled: z.boolean().optional(),
        })
        .optional(),
    })
    .optional(),
});

export interface HostConfig {
  routePrefix: string;
  hubName: string;
  maxConcurrentActivityFunctions: number;
  localRpcEndpointEnabled: boolean;
}

export function parseHostConfig(json: unknown, source = 'host.json'): HostConfig {
  const parsed = HostJson.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new Error(`${source} is invalid: ${problems}`);
  }
  const durable = parsed.data.extensions?.durableTask;
  return {
    routePrefix: (parsed.data.extensions?.http?.routePrefix ?? 'api').replace(/^\/+|\/+$/g, ''),
    hubName: durable?.hubName ?? 'TestHubName',
    maxConcurrentActivityFunctions: durable?.maxConcurrentActivityFunctions ?? 10,
    localRpcEndpointEnabled: durable?.localRpcEndpointEnabled ?? true,
  };
}

/** A missing host.json gives the defaults, as the Functions host does. */
export function readHostConfig(file: string): HostConfig {
  if (!fs.existsSync(file)) return parseHostConfig({}, file);
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`${file} is not valid JSON: ${(error as Error).message}`);
  }
  return parseHostConfig(json, file);
}
