/** SAP's published specs and recorded traffic, vendored unchanged (see README.md here). */
export const SPEC_DIR = __dirname;
