/**
 * The app entry's first import: Application Insights starts before any other module loads (the Azure
 * SDK instrumentation must see them load), when APPLICATIONINSIGHTS_CONNECTION_STRING is set. A
 * telemetry failure never stops the app: it runs on and says so.
 */
import { startTelemetry } from '../shared/telemetry/telemetry';

try {
  startTelemetry();
} catch (e) {
  console.error(`telemetry: Application Insights could not start (${e instanceof Error ? e.message : String(e)}); the app runs without telemetry. Check APPLICATIONINSIGHTS_CONNECTION_STRING.`);
}
