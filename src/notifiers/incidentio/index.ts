import { defineIntegration } from '../definition';
import { incidentioSchema } from './config';
import { IncidentioNotifier, RETRY_CODES } from './notifier';

export { errorDetails, IncidentioNotifier } from './notifier';
export { buildIncidentioMessage, MAX_PAYLOAD_BYTES } from './payload';

/** `incidentio_configs` */
export const incidentio = defineIntegration({
  type: 'incidentio',
  schema: incidentioSchema,
  retryCodes: () => RETRY_CODES,
  create: (cfg, d) => new IncidentioNotifier(cfg, { externalURL: d.externalURL, userAgent: d.userAgent, logger: d.logger }),
});
