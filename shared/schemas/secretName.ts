import { z } from 'zod';
import { SECRET_NAME_PATTERN } from '../secrets/secretNames';

/** A reference to a stored credential (PUT /api/credentials/{name}); never the credential itself. */
export const SecretName = z
  .string()
  .regex(SECRET_NAME_PATTERN, 'must be the NAME of a stored credential: letters, digits and dashes, at most 127 (store it with PUT /api/credentials/{name})')
  .meta({ description: 'Name of a credential stored with PUT /api/credentials/{name}. Never the credential itself.' });
