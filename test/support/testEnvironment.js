/**
 * Settings every test process shares (jest setupFiles). The sandbox generates SAP's RSA 4096 trust
 * keys by default, which costs seconds per certificate on a busy machine and outruns client timeouts;
 * tests use 2048 unless they set the key size themselves (seed `trustCertificateKeyBits`).
 */
process.env.SANDBOX_CERT_KEY_BITS ??= '2048';
