/** Tests run against the TypeScript sources through ts-jest (type errors are caught by `npm run build`,
 *  which `npm test` runs first so child processes can start the compiled devhost and sandbox). */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  testTimeout: 60000,
  setupFiles: ['<rootDir>/test/support/testEnvironment.js'],
  maxWorkers: 2,
};
