export { MSTeamsNotifier } from './notifier';
export { buildMSTeamsMessage, COLOR_FIRING, COLOR_RESOLVED } from './payload';
