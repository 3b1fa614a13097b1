/**
 * @module notifiers/msteamsv2/payload
 * The Workflows (Power Automate) message with one Adaptive Card (upstream notify/msteamsv2/msteamsv2.go): a bold
 * heading TextBlock coloured `Attention` (firing) or `Good` (resolved), then the text. Field order and omit-empty
 * rules follow the Go structs; `contentUrl` is always null.
 */
import { type Alert, isResolved } from '../../types/alert';
import type { Renderer } from '../shared/render';

export interface MSTeamsV2PayloadSettings {
  title?: string;
  text?: string;
}

export function buildMSTeamsV2Message(s: MSTeamsV2PayloadSettings, r: Pick<Renderer, 'text'>, alerts: readonly Alert[], now: number): unknown {
  const t = (x: string | undefined) => (x ? r.text(x) : '');
  const title = t(s.title);
  const text = t(s.text);
  const color = alerts.some((a) => !isResolved(a, now)) ? 'Attention' : 'Good';
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.2',
          body: [
            { type: 'TextBlock', text: title, weight: 'Bolder', size: 'Medium', wrap: true, style: 'heading', color },
            { type: 'TextBlock', text, wrap: true },
          ],
          msteams: { width: 'full' },
        },
      },
    ],
  };
}
