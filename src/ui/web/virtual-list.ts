/**
 * @module ui/web/virtual-list
 * Windowed rendering for long lists with rows of varying height: only the rows in (and near) the viewport exist in
 * the DOM. Heights are estimated, then measured once rendered and remembered by row key, so a background refresh
 * that replaces the items keeps the scroll position anchored on the first visible row.
 */

export interface VirtualListOptions<T> {
  key(item: T): string;
  estimate(item: T): number;
  render(item: T): HTMLElement;
  /** extra pixels rendered above and below the viewport */
  overscan?: number;
}

export class VirtualList<T> {
  private items: T[] = [];
  private heights: number[] = [];
  private offsets: number[] = [0];
  private readonly measured = new Map<string, number>();
  private readonly rendered = new Map<string, { item: T; el: HTMLElement }>();
  private readonly spacer: HTMLElement;
  private frame = 0;
  private width = 0;
  private readonly resize: ResizeObserver;

  constructor(
    readonly scroller: HTMLElement,
    private readonly opts: VirtualListOptions<T>,
  ) {
    this.spacer = document.createElement('div');
    this.spacer.className = 'vl-spacer';
    scroller.appendChild(this.spacer);
    scroller.addEventListener('scroll', () => this.schedule(), { passive: true });
    this.resize = new ResizeObserver(() => {
      const w = scroller.clientWidth;
      if (w !== this.width) {
        this.width = w;
        this.measured.clear();
        this.recompute();
      }
      this.schedule();
    });
    this.resize.observe(scroller);
  }

  destroy(): void {
    this.resize.disconnect();
    cancelAnimationFrame(this.frame);
  }

  get length(): number {
    return this.items.length;
  }

  /** Replaces the items; the first visible row (by key) stays where it was on screen. */
  setItems(items: T[]): void {
    const anchor = this.anchor();
    this.items = items;
    this.recompute();
    if (anchor) {
      const idx = items.findIndex((it) => this.opts.key(it) === anchor.key);
      if (idx >= 0) this.scroller.scrollTop = this.offsets[idx]! + anchor.delta;
    }
    this.render();
  }

  /** Re-renders one row (e.g. after toggling its details) without touching the others. */
  invalidate(key: string): void {
    this.rendered.get(key)?.el.remove();
    this.rendered.delete(key);
    this.render();
  }

  scrollToTop(): void {
    this.scroller.scrollTop = 0;
    this.render();
  }

  private anchor(): { key: string; delta: number } | null {
    if (this.items.length === 0) return null;
    const top = this.scroller.scrollTop;
    if (top <= 0) return null;
    const i = this.indexAt(top);
    const item = this.items[i];
    if (item === undefined) return null;
    return { key: this.opts.key(item), delta: top - this.offsets[i]! };
  }

  private recompute(): void {
    const n = this.items.length;
    this.heights = new Array(n);
    this.offsets = new Array(n + 1);
    let off = 0;
    for (let i = 0; i < n; i++) {
      const it = this.items[i]!;
      const h = this.measured.get(this.opts.key(it)) ?? this.opts.estimate(it);
      this.heights[i] = h;
      this.offsets[i] = off;
      off += h;
    }
    this.offsets[n] = off;
    this.spacer.style.height = `${off}px`;
  }

  /** Largest index whose offset is <= y (binary search). */
  private indexAt(y: number): number {
    let lo = 0;
    let hi = this.items.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.offsets[mid]! <= y) lo = mid;
      else hi = mid - 1;
    }
    return Math.max(0, lo);
  }

  private schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.render();
    });
  }

  render(): void {
    const overscan = this.opts.overscan ?? 400;
    const top = this.scroller.scrollTop;
    const vh = this.scroller.clientHeight || window.innerHeight;
    const n = this.items.length;
    const start = n === 0 ? 0 : this.indexAt(Math.max(0, top - overscan));
    const keep = new Set<string>();
    const shown: { i: number; key: string; el: HTMLElement }[] = [];
    for (let i = start; i < n && this.offsets[i]! < top + vh + overscan; i++) {
      const item = this.items[i]!;
      const key = this.opts.key(item);
      keep.add(key);
      let r = this.rendered.get(key);
      if (!r || r.item !== item) {
        const focusPath = r ? pathOf(r.el, document.activeElement) : null;
        r?.el.remove();
        const el = this.opts.render(item);
        el.classList.add('vl-row');
        r = { item, el };
        this.rendered.set(key, r);
        this.scroller.appendChild(el);
        // keyboard users keep their place when a row is re-rendered (e.g. after toggling it)
        if (focusPath) (nodeAt(el, focusPath) as HTMLElement | null)?.focus?.({ preventScroll: true });
      }
      shown.push({ i, key, el: r.el });
    }
    for (const [key, r] of this.rendered) {
      if (!keep.has(key)) {
        r.el.remove();
        this.rendered.delete(key);
      }
    }
    for (const s of shown) s.el.style.transform = `translateY(${this.offsets[s.i]}px)`;
    // measure, then fix positions (anchored on the first visible row)
    let changed = false;
    for (const s of shown) {
      const h = s.el.offsetHeight;
      if (h > 0 && h !== this.heights[s.i]) {
        this.measured.set(s.key, h);
        changed = true;
      }
    }
    if (changed) {
      const anchorIdx = n === 0 ? 0 : this.indexAt(top);
      const before = this.offsets[anchorIdx] ?? 0;
      this.recompute();
      const after = this.offsets[anchorIdx] ?? 0;
      if (top > 0 && after !== before) this.scroller.scrollTop = top + (after - before);
      for (const s of shown) s.el.style.transform = `translateY(${this.offsets[s.i]}px)`;
      // rows may now fall short of the viewport; fill on the next frame
      this.schedule();
    }
  }
}

/** Child-index path from `root` to `node`, or null if `node` is not inside `root`. */
function pathOf(root: Element, node: Element | null): number[] | null {
  if (!node || !root.contains(node)) return null;
  const path: number[] = [];
  let cur: Element = node;
  while (cur !== root && cur.parentElement) {
    path.unshift(Array.prototype.indexOf.call(cur.parentElement.children, cur));
    cur = cur.parentElement;
  }
  return path;
}

function nodeAt(root: Element, path: number[]): Element | null {
  let cur: Element | undefined = root;
  for (const i of path) {
    cur = cur?.children[i];
    if (!cur) return null;
  }
  return cur ?? null;
}
