export { RocketchatNotifier } from './notifier';
export { buildRocketchatMessage, MAX_TITLE_RUNES, postMessageUrl } from './payload';
