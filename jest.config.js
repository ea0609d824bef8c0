/** Tests run against the TypeScript sources through ts-jest (type errors are caught by `npm run build`,
 *  which `npm test` runs first so child processes can start the compiled devhost and sandbox). */

/**
 * The CLI in a real terminal (tmux) watches a live display; when the whole suite shares the two cores
 * it is starved, so `npm test` runs these files afterwards on their own (TERMINAL_TESTS=only).
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
