/**
 * The app's functions besides the workflows' own (their orchestrations, activities and run API): each
 * registers by name when the app loads, and its module, with what it needs (SAP clients, stores, the
 * settings' schemas), loads at its first invocation (bench/coldStart).
 */
import { app, type HttpRequest, type InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import type { DurableClient } from 'durable-functions';
import { maintenanceWindowSchedule } from '../shared/config/timerSchedules';
import { rotationRegistration } from '../orchestrations/rotation/registration';

const credentials = () => import('./http/credentials');
app.http('credentialsPut', { route: 'credentials/{name}', methods: ['PUT'], authLevel: 'function', handler: async (request: HttpRequest) => (await credentials()).putCredential(request) });
app.http('credentialsGet', { route: 'credentials/{name}', methods: ['GET'], authLevel: 'function', handler: async (request: HttpRequest) => (await credentials()).getCredential(request) });

// The rotation's rollback route, and the maintenance-window timer that starts rotations and repairs.
df.app.client.http('rotationRollback', {
  route: `${rotationRegistration.kind}/{id}/rollback`,
  methods: ['POST'],
  authLevel: 'function',
  handler: async (request: HttpRequest, client: DurableClient) => (await import('./http/rotationRollback')).rollbackRotation(request, client),
});
app.timer('certificateMaintenanceWindow', {
  schedule: maintenanceWindowSchedule(),
  extraInputs: [df.input.durableClient()],
  handler: async (timer: unknown, context: InvocationContext) => (await import('./timers/certificateMaintenance')).maintenanceWindow(timer, context),
});
df.app.client.http('repairMismatched', {
  route: 'repairs/mismatched',
  methods: ['POST'],
  authLevel: 'function',
  handler: async (request: HttpRequest, client: DurableClient) => (await import('./http/repairMismatched')).repairMismatched(request, client),
});
