export { VictorOpsNotifier } from './notifier';
export { buildVictorOpsMessage, goEscapePath, MAX_STATE_MESSAGE_RUNES, victorOpsUrl } from './payload';
