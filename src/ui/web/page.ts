/**
 * @module ui/web/page
 * What every page receives from the router (main.ts) and gives back: the page context and its cleanup
 * function. Pages import this module, never main.ts (main.ts imports the pages).
 */
export type Cleanup = () => void;

export interface PageContext {
  params: URLSearchParams;
  /** path segments after the page name */
  rest: string[];
}
