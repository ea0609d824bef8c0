/**
 * Preloaded into the devhost child (`node --require`) by tests that look at the telemetry: starts the
 * product's own telemetry (dist/shared/telemetry/telemetry.js, the module the app entry starts, with
 * the product's configuration) with one more span processor and log processor: an in-process exporter
 * that appends every finished span and log record, as exported, to TELEMETRY_CAPTURE_FILE (one JSON
 * object a line). When the app entry then starts telemetry, it finds it running and changes nothing.
 */
'use strict';
const { appendFileSync } = require('node:fs');
const path = require('node:path');
const { SimpleSpanProcessor } = require('@opentelemetry/sdk-trace-base');
const { SimpleLogRecordProcessor } = require('@opentelemetry/sdk-logs');

const file = process.env.TELEMETRY_CAPTURE_FILE;
if (!file) throw new Error('telemetryCapturePreload: set TELEMETRY_CAPTURE_FILE');
const write = (item) => appendFileSync(file, `${JSON.stringify(item)}\n`);

const spanExporter = {
  export(spans, done) {
    for (const s of spans) {
      write({
        type: 'span',
        name: s.name,
        kind: s.kind,
        attributes: s.attributes,
        status: s.status,
        events: s.events,
        links: s.links,
        durationMs: s.duration[0] * 1e3 + s.duration[1] / 1e6,
        resource: s.resource.attributes,
        scope: s.instrumentationScope?.name,
      });
    }
    done({ code: 0 });
  },
  shutdown: async () => undefined,
  forceFlush: async () => undefined,
};

const logExporter = {
  export(records, done) {
    for (const r of records) write({ type: 'log', body: r.body, severityText: r.severityText, severityNumber: r.severityNumber, attributes: r.attributes, scope: r.instrumentationScope?.name });
    done({ code: 0 });
  },
  shutdown: async () => undefined,
};

const { startTelemetry } = require(path.resolve(__dirname, '../../dist/shared/telemetry/telemetry.js'));
const state = startTelemetry(process.env, { spanProcessors: [new SimpleSpanProcessor(spanExporter)], logRecordProcessors: [new SimpleLogRecordProcessor({ exporter: logExporter })] });
if (state !== 'on') throw new Error('telemetryCapturePreload: APPLICATIONINSIGHTS_CONNECTION_STRING is not set, telemetry stayed off');
