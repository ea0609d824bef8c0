/** Why a text given as a certificate could not be read. The input itself is never echoed. */
export type CertificateProblem = 'empty' | 'private-key' | 'not-a-certificate' | 'multiple-certificates' | 'malformed';

export class CertificateError extends Error {
  constructor(
    readonly problem: CertificateProblem,
    message: string,
  ) {
    super(message);
    this.name = 'CertificateError';
  }
}
