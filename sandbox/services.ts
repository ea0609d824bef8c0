/**
 * Every simulated SAP service, in routing order (the first whose matchHost answers gets the request).
 * Each service module adds its own line.
 */
import { btpService } from './btp/btpService';
import type { SandboxService } from './core/service';
import { iasService } from './ias/iasService';
import { neoService } from './neo/neoService';
import { s4Service } from './s4/s4Service';
import { webhookService } from './webhooks/webhookService';

export const sandboxServices: SandboxService<any>[] = [
  btpService,
  iasService,
  neoService,
  s4Service,
  webhookService,
];
