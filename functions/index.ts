/** App entry (package.json "main" → dist/functions/index.js). Placeholder until the onboarding API lands. */
import { app } from '@azure/functions';

app.http('health', {
  route: 'health',
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: async () => ({ status: 200, jsonBody: { status: 'ok' } }),
});
