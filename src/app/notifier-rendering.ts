/**
 * @module app/notifier-rendering
 * How notifiers render their templated fields against the loaded templates: the template data of a
 * notification (upstream template.Data: receiver, status, alerts, labels, external URL) is built once per
 * notification, i.e. per NotifyContext and alert list, and shared by every field the notifier renders
 * (a Slack message has a dozen, a webhook `payload` or PagerDuty `details` as many as the user writes).
 */
import type { NotifierDeps } from '../notifiers/registry';
import type { NotifyContext } from '../pipeline/types';
import { buildTemplateData, type TemplateData } from '../templates/data';
import type { TemplateSet } from '../templates/template-set';
import type { Alert } from '../types/alert';

export type NotifierRendering = Required<Pick<NotifierDeps, 'renderText' | 'renderHtml'>>;

export function notifierRendering(templates: TemplateSet, externalURL: string): NotifierRendering {
  // a notifier renders all its fields with the same ctx and alert list; weak keys: nothing outlives the flush
  const built = new WeakMap<NotifyContext, { alerts: readonly Alert[]; data: TemplateData }>();
  const templateData = (ctx: NotifyContext, alerts: readonly Alert[]): TemplateData => {
    const hit = built.get(ctx);
    if (hit?.alerts === alerts) return hit.data;
    const data = buildTemplateData({
      receiver: ctx.receiver,
      alerts,
      groupLabels: ctx.groupLabels,
      externalURL,
      ...(ctx.notificationReason ? { notificationReason: ctx.notificationReason } : {}),
      routeLabels: ctx.routeLabels,
      now: ctx.now,
    });
    built.set(ctx, { alerts, data });
    return data;
  };
  return {
    renderText: (text, ctx, alerts) => templates.renderText(text, templateData(ctx, alerts)),
    renderHtml: (text, ctx, alerts) => templates.renderHtml(text, templateData(ctx, alerts)),
  };
}
