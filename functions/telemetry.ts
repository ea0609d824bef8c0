/**
 * Application Insights starts when the worker starts the app (appStart hook), after the entry has
 * loaded and before the first invocation, when APPLICATIONINSIGHTS_CONNECTION_STRING is set. The
 * Azure Monitor distro is heavy (bench/coldStart): loading it in the entry would multiply the entry's
 * load time. The modules its Azure SDK instrumentation must see (Key Vault, Table Storage, identity)
 * load later, at their first use. A telemetry failure never stops the app: it runs on and says so.
 */
import { app } from '@azure/functions';
import { startTelemetry } from '../shared/telemetry/telemetry';

app.hook.appStart(() => {
  try {
    startTelemetry();
  } catch (e) {
    console.error(`telemetry: Application Insights could not start (${e instanceof Error ? e.message : String(e)}); the app runs without telemetry. Check APPLICATIONINSIGHTS_CONNECTION_STRING.`);
  }
});
