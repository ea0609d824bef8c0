/**
 * The heavy half of telemetry, loaded only when APPLICATIONINSIGHTS_CONNECTION_STRING is set: the Azure
 * Monitor OpenTelemetry distro with the product's choices.
 *  - Every SAP call is kept (no rate-limited sampling): onboardings are rare and each call matters.
 *  - The generic HTTP instrumentation is off: SAP calls get their own spans (sapHttp.ts) that record
 *    host, operation, status and duration and nothing else, whereas the generic one records full URLs.
 *    The Azure SDK instrumentation stays on (Key Vault, Table Storage: secret names, never values).
 *  - Logging-library instrumentations are off: the product logs through operatorLog only.
 *  - Every span and log record started inside a step carries the run id and the step.
 */
import { useAzureMonitor, shutdownAzureMonitor } from '@azure/monitor-opentelemetry';
import { SpanKind, SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import { logs, SeverityNumber } from '@opentelemetry/api-logs';
import type { TokenCredential } from '@azure/identity';
import type { SpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { LogRecordProcessor } from '@opentelemetry/sdk-logs';
import { stepAttributes } from './stepContext';
import type { LogLevel, SapCallOutcome, TelemetryAttributes, TelemetryExtras, TelemetryPipeline } from './telemetry';
import type { TelemetryOptions } from './telemetryOptions';

const SCOPE = 'sap-trust-onboarding';
/** Application Insights turns a log record with this attribute into a custom event (customEvents). */
const CUSTOM_EVENT_NAME = 'microsoft.custom_event.name';

const SEVERITY: Record<LogLevel, SeverityNumber> = { info: SeverityNumber.INFO, warn: SeverityNumber.WARN, error: SeverityNumber.ERROR };

/** Stamps the run id and the step on every span started inside a step (Azure SDK spans included). */
const stepSpanProcessor: SpanProcessor = {
  onStart: (span) => {
    span.setAttributes(stepAttributes());
  },
  onEnd: () => undefined,
  forceFlush: async () => undefined,
  shutdown: async () => undefined,
};

/** The same for log records (whoever emits them). */
const stepLogProcessor: LogRecordProcessor = {
  onEmit: (record) => {
    record.setAttributes(stepAttributes());
  },
  forceFlush: async () => undefined,
  shutdown: async () => undefined,
};

function credentialFor(entra: TelemetryOptions['entra']): TokenCredential | undefined {
  if (!entra) return undefined;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { ManagedIdentityCredential } = require('@azure/identity') as typeof import('@azure/identity');
  return entra.clientId ? new ManagedIdentityCredential({ clientId: entra.clientId }) : new ManagedIdentityCredential();
}

export function startAzureMonitor(options: TelemetryOptions, extras: TelemetryExtras): TelemetryPipeline {
  const credential = credentialFor(options.entra);
  useAzureMonitor({
    azureMonitorExporterOptions: { connectionString: options.connectionString, ...(credential ? { credential } : {}) },
    samplingRatio: 1,
    tracesPerSecond: 0,
    instrumentationOptions: {
      http: { enabled: false },
      azureSdk: { enabled: true },
      mongoDb: { enabled: false },
      mySql: { enabled: false },
      postgreSql: { enabled: false },
      redis: { enabled: false },
      redis4: { enabled: false },
      bunyan: { enabled: false },
      winston: { enabled: false },
      console: { enabled: false },
    },
    spanProcessors: [stepSpanProcessor, ...((extras.spanProcessors ?? []) as SpanProcessor[])],
    logRecordProcessors: [stepLogProcessor, ...((extras.logRecordProcessors ?? []) as LogRecordProcessor[])],
  });
  const tracer = trace.getTracer(SCOPE);
  const logger = logs.getLogger(SCOPE);

  const finish = (span: Span, outcome: SapCallOutcome, started: number) => {
    if (outcome.status !== undefined) span.setAttribute('http.response.status_code', outcome.status);
    if (outcome.failure) {
      span.setAttribute('error.type', outcome.failure);
      span.setStatus({ code: SpanStatusCode.ERROR });
    }
    span.setAttribute('sapTrust.durationMs', Math.round(performance.now() - started));
    span.end();
  };

  return {
    sapCall(call, fn, outcomeOf, failureOf) {
      const attributes: TelemetryAttributes = {
        'server.address': call.host,
        'http.request.method': call.method,
        'sap.api': call.api,
        'sap.system': call.system,
        'sap.operation': call.operation,
      };
      return tracer.startActiveSpan(`${call.api} ${call.operation}`, { kind: SpanKind.CLIENT, attributes }, async (span) => {
        const started = performance.now();
        try {
          const result = await fn();
          finish(span, outcomeOf(result), started);
          return result;
        } catch (e) {
          finish(span, failureOf(e), started);
          throw e;
        }
      });
    },
    log(level, message, attributes) {
      logger.emit({ severityNumber: SEVERITY[level], severityText: level.toUpperCase(), body: message, attributes });
    },
    event(name, attributes) {
      logger.emit({ severityNumber: SeverityNumber.INFO, body: name, attributes: { ...attributes, [CUSTOM_EVENT_NAME]: name } });
    },
    stop: () => shutdownAzureMonitor(),
  };
}
