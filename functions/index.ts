/** App entry (package.json "main" → dist/functions/index.js): every function registers on import. */
// First: its hooks check the settings before any function runs.
import './http/settingsGate';
import './http/health';
import './http/credentials';
import './http/onboardings';
import './http/openapi';
import '../orchestrations/onboardS4Tenant';
