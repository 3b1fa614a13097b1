export { MSTeamsV2Notifier } from './notifier';
export { buildMSTeamsV2Message } from './payload';
