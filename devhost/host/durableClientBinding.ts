/**
 * The durableClient input binding payload (durable-runtime-notes 2.1, 2.4), so an unchanged
 * `df.getClient(context)` talks to devhost: `rpcBaseUrl` for every client call (served without a key on a
 * loopback-only listener, like the extension's local RPC endpoint) and creation/management URLs on the
 * public origin carrying the `durabletask_extension` system key (used by createCheckStatusResponse).
 */
export interface DurableClientBindingSettings {
  origin: string;
  hubName: string;
  systemKey: string;
  /** e.g. http://127.0.0.1:PORT/durabletask/ ; undefined when host.json disables the local RPC endpoint. */
  rpcBaseUrl?: string;
}

export function durableClientBindingPayload(s: DurableClientBindingSettings): Record<string, unknown> {
  const base = `${s.origin}/runtime/webhooks/durabletask`;
  const common = `taskHub=${encodeURIComponent(s.hubName)}&connection=Storage&code=${s.systemKey}`;
  const instance = `${base}/instances/INSTANCEID`;
  return {
    taskHubName: s.hubName,
    creationUrls: {
      createNewInstancePostUri: `${base}/orchestrators/{functionName}[/{instanceId}]?code=${s.systemKey}`,
      createAndWaitOnNewInstancePostUri: `${base}/orchestrators/{functionName}[/{instanceId}]?timeout={timeoutInSeconds}&pollingInterval={intervalInSeconds}&code=${s.systemKey}`,
    },
    managementUrls: {
      id: 'INSTANCEID',
      statusQueryGetUri: `${instance}?${common}`,
      sendEventPostUri: `${instance}/raiseEvent/{eventName}?${common}`,
      terminatePostUri: `${instance}/terminate?reason={text}&${common}`,
      rewindPostUri: `${instance}/rewind?reason={text}&${common}`,
      purgeHistoryDeleteUri: `${instance}?${common}`,
      restartPostUri: `${instance}/restart?${common}`,
      suspendPostUri: `${instance}/suspend?reason={text}&${common}`,
      resumePostUri: `${instance}/resume?reason={text}&${common}`,
    },
    baseUrl: base,
    requiredQueryStringParameters: `code=${s.systemKey}`,
    ...(s.rpcBaseUrl ? { rpcBaseUrl: s.rpcBaseUrl } : {}),
  };
}
