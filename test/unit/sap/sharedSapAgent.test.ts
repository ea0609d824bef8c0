/**
 * One HTTPS agent per connection setting (so keep-alive sockets are shared by every client), found
 * for a call without building the setting's key (which holds the CA's PEM) again.
 */
import { destroySharedSapAgents, sharedSapAgent } from '../../../shared/sap/http';
import { createTestCa } from './support/tlsTestServer';

const caA = createTestCa('agent test CA A').certPem;
const caB = createTestCa('agent test CA B').certPem;

afterEach(() => destroySharedSapAgents());

it('shares one agent between equal settings, in one options object or in several', () => {
  const options = { connectTo: '127.0.0.1:8443', extraCaPem: caA };
  const agent = sharedSapAgent(options);
  expect(sharedSapAgent(options)).toBe(agent);
  expect(sharedSapAgent({ ...options })).toBe(agent);
  expect(sharedSapAgent({ connectTo: '127.0.0.1:9443', extraCaPem: caA })).not.toBe(agent);
});

it('follows an options object whose setting was changed after its first call', () => {
  const options: { connectTo?: string; extraCaPem?: string } = { connectTo: '127.0.0.1:8443', extraCaPem: caA };
  const first = sharedSapAgent(options);
  options.extraCaPem = caB;
  const second = sharedSapAgent(options);
  expect(second).not.toBe(first);
  expect(sharedSapAgent({ connectTo: '127.0.0.1:8443', extraCaPem: caB })).toBe(second);
  delete options.connectTo;
  expect(sharedSapAgent(options)).not.toBe(second);
});

it('builds new agents after destroySharedSapAgents', () => {
  const options = { extraCaPem: caA };
  const before = sharedSapAgent(options);
  destroySharedSapAgents();
  expect(sharedSapAgent(options)).not.toBe(before);
});
