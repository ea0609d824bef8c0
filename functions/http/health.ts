/**
 * Liveness for load balancers and the CLI: anonymous, never a secret. When the settings are invalid
 * the settings gate (settingsGate.ts) answers 503 naming them instead.
 */
import { app } from '@azure/functions';

app.http('health', {
  route: 'health',
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: async () => ({ status: 200, jsonBody: { status: 'ok' } }),
});
