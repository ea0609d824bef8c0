/**
 * The alert as an Application Insights custom event (through shared/telemetry, when
 * APPLICATIONINSIGHTS_CONNECTION_STRING is set) and as one structured log line
 * `{event, customDimensions, customMeasurements}` that the Functions worker collects either way.
 */
import { telemetryEvent } from '../telemetry/telemetry';
import type { CertificateAlert } from './certificateAlert';

export const CERTIFICATE_ALERT_EVENT = 'SapTrustCertificateAlert';

export interface CustomEvent {
  name: string;
  /** App Insights customDimensions: strings only. */
  properties: Record<string, string>;
  measurements: Record<string, number>;
}

export type EventSink = (event: CustomEvent) => void;

export const logEventSink: EventSink = (event) => {
  console.warn(JSON.stringify({ event: event.name, customDimensions: event.properties, customMeasurements: event.measurements }));
  telemetryEvent(event.name, { ...event.properties, ...event.measurements });
};

let sink: EventSink = logEventSink;

/** Where custom events go (tests, a telemetry module). */
export function setEventSink(next: EventSink): void {
  sink = next;
}

/** One event per subaccount, so a query can group and alert per subaccount. */
export function emitCertificateAlertEvents(alert: CertificateAlert): CustomEvent[] {
  const events = alert.subaccounts.map((s) => ({
    name: CERTIFICATE_ALERT_EVENT,
    properties: { checkId: alert.checkId, subaccountId: s.subaccountId, tenants: s.tenants.join(','), statuses: s.statuses.join(',') },
    measurements: { tenants: s.tenants.length, ...(s.minDaysLeft === undefined ? {} : { daysLeft: s.minDaysLeft }) },
  }));
  for (const e of events) sink(e);
  return events;
}
