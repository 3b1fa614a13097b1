export { errorDetails, IncidentioNotifier } from './notifier';
export { buildIncidentioMessage, MAX_PAYLOAD_BYTES } from './payload';
