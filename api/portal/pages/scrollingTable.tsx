// A table that may be wider than a phone: it scrolls sideways inside its own box (.table-wrap), which is a region
// named by the caption and takes focus, so that a keyboard can scroll it too (axe: scrollable-region-focusable).
import type { ComponentChildren } from 'preact';

export function ScrollingTable({ caption, children }: { caption: string; children: ComponentChildren }) {
  return (
    <div class="table-wrap" role="region" aria-label={caption} tabIndex={0}>
      <table>
        <caption>{caption}</caption>
        {children}
      </table>
    </div>
  );
}
