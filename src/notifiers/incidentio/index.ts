import { defineIntegration } from '../definition';
import { incidentioSchema } from './config';
import { RETRY_CODES } from './notifier';

export { errorDetails } from './notifier';
export { buildIncidentioMessage, MAX_PAYLOAD_BYTES } from './payload';

// the implementation (and what only it needs, e.g. nodemailer) loads when a config first uses it
/** `incidentio_configs` */
export const incidentio = defineIntegration({
  type: 'incidentio',
  schema: incidentioSchema,
  retryCodes: () => RETRY_CODES,
  create: (cfg, d) => new (require('./notifier') as typeof import('./notifier')).IncidentioNotifier(cfg, { externalURL: d.externalURL, userAgent: d.userAgent, logger: d.logger }),
});
