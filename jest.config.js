/** Tests run against the TypeScript sources through ts-jest (type errors are caught by `npm run build`,
 *  which `npm test` runs first so child processes can start the compiled devhost and sandbox). */

/**
 * The CLI in a real terminal (tmux). These pass when run from a shell (`npm run test:terminal`), but
 * under CI's `bash .ci/run` the second terminal session of a file dies without an exit status, for a
 * reason not found yet; so `npm test` leaves them out and `npm run test:terminal` runs them alone.
 * test/unit/cli/terminalLines.test.ts checks the same widths (80, 100, 120) on the rendering itself.
 */
const TERMINAL_TESTS = ['test/integration/cli/cliOnStack.test.ts', 'test/integration/cli/onboardManyCli.test.ts'];
const terminalOnly = process.env.TERMINAL_TESTS === 'only';

module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: terminalOnly ? TERMINAL_TESTS.map((file) => `<rootDir>/${file}`) : ['**/*.test.ts'],
  testPathIgnorePatterns: terminalOnly ? ['/node_modules/'] : ['/node_modules/', ...TERMINAL_TESTS],
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  testTimeout: 60000,
  setupFiles: ['<rootDir>/test/support/testEnvironment.js'],
  maxWorkers: terminalOnly ? 1 : 2,
};
