/**
 * The alert as an Application Insights custom event. The app has no telemetry SDK yet, so the event
 * is one structured log line `{event, customDimensions, customMeasurements}` through the logger the
 * Functions worker collects (console → the invocation's traces); a telemetry module can take the
 * same sink later (`trackEvent(name, properties, measurements)`) without touching the check.
 */
import type { CertificateAlert } from './certificateAlert';

export const CERTIFICATE_ALERT_EVENT = 'SapTrustCertificateAlert';

export interface CustomEvent {
  name: string;
  /** App Insights customDimensions: strings only. */
  properties: Record<string, string>;
  measurements: Record<string, number>;
}

export type EventSink = (event: CustomEvent) => void;

export const logEventSink: EventSink = (event) =>
  console.warn(JSON.stringify({ event: event.name, customDimensions: event.properties, customMeasurements: event.measurements }));

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
