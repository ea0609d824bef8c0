export { CertificateError, type CertificateProblem } from './certificateError';
export { certificateDer, derToPem, pemToBase64Der, base64DerToPem } from './pemEncoding';
export { parseCertificate, daysUntilExpiry, normalizeFingerprint, sameFingerprint, type CertificateInfo } from './trustCertificate';
