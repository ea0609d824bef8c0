/** The SAP_COM_0A48 communication user someone created once in Fiori; stored as a secret. */
import { z } from 'zod';

export const BootstrapUser = z.object({ user: z.string().min(1), password: z.string().min(1) });
export type BootstrapUser = z.infer<typeof BootstrapUser>;
