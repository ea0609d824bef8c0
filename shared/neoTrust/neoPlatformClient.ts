/** The Neo Platform API OAuth client as stored in the SecretStore: `{"clientId": "…", "clientSecret": "…"}`. */
import { z } from 'zod';

export const NEO_PLATFORM_CLIENT_CONTENT_TYPE = 'application/json; purpose=neo-platform-api-client';
export const NEO_PLATFORM_CLIENT_SHAPE = '{"clientId": "<platform API client ID>", "clientSecret": "<its secret>"}';

export const NeoPlatformClientSecret = z.object({ clientId: z.string().min(1), clientSecret: z.string().min(1) });
export type NeoPlatformClientSecret = z.infer<typeof NeoPlatformClientSecret>;
