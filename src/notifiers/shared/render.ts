/**
 * @module notifiers/shared/render
 * Template rendering as a notifier sees it: one Renderer per notification (the template data is built once),
 * text and HTML modes. Template failures become non-retryable NotifyErrors (upstream: template errors fail
 * the notification for this flush).
 */
import type { NotifyContext } from '../../pipeline/types';
import type { NotifierDeps } from '../definition';
import type { Alert } from '../../types/alert';
import { NotifyError } from '../../types/errors';
import type { Logger } from '../../types/logger';

export interface Renderer {
  text(template: string): string;
  html(template: string): string;
}

/** Builds the renderer for one notification. */
export type RendererFactory = (ctx: NotifyContext, alerts: readonly Alert[]) => Renderer;

/** What a templated notifier is built with (most notifiers need exactly this; some add their own fields). */
export interface TemplatedNotifierDeps {
  userAgent: string;
  logger: Logger;
  render: RendererFactory;
  /** per-request timeout in ms (0 = none) */
  timeout?: number;
}

/** Renders nothing: template text is used verbatim (no template set configured). */
export const verbatimRenderer: Renderer = { text: (s) => s, html: (s) => s };

/** From the registry's per-call render functions to a RendererFactory. */
export function rendererFactory(
  renderText: ((text: string, ctx: NotifyContext, alerts: readonly Alert[]) => string) | undefined,
  renderHtml?: (text: string, ctx: NotifyContext, alerts: readonly Alert[]) => string,
): RendererFactory {
  if (!renderText) return () => verbatimRenderer;
  return (ctx, alerts) => ({
    text: (s) => renderText(s, ctx, alerts),
    html: (s) => (renderHtml ?? renderText)(s, ctx, alerts),
  });
}

/**
 * Runs `build` (which renders templates); a thrown error becomes a non-retryable NotifyError
 * `failed to template <what>: <err>`. The template error text never contains secrets (secrets are not templates
 * we print), but callers pass `redact` for values that might.
 */
export function templated<T>(what: string, build: () => T, redact: (msg: string) => string = (m) => m): T {
  try {
    return build();
  } catch (e) {
    if (e instanceof NotifyError) throw e;
    const msg = e instanceof Error ? e.message : String(e);
    throw new NotifyError(`failed to template ${what}: ${redact(msg)}`, { retryable: false, reason: 'other', cause: e });
  }
}

/** What most definitions' factories pass their notifier: the user agent, the logger and the renderer. */
export function templatedNotifierDeps(d: NotifierDeps): TemplatedNotifierDeps {
  return { userAgent: d.userAgent, logger: d.logger, render: rendererFactory(d.renderText, d.renderHtml) };
}
