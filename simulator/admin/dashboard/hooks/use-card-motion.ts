import { useLayoutEffect, useRef } from 'preact/hooks';
import { isPresenting } from '../router.tsx';

/**
 * Cards glide from where they were to where they are now (FLIP: first, last, invert, play), so a
 * room sees a file move from one list to the next instead of vanishing and appearing. Slower in
 * presenter mode; none when the viewer asks for reduced motion.
 */
export function useCardMotion(container: { current: HTMLElement | null }, selector: string): void {
  const last = useRef(new Map<string, DOMRect>());
  useLayoutEffect(() => {
    const root = container.current;
    if (!root) return;
    const still = matchMedia('(prefers-reduced-motion: reduce)').matches;
    const duration = isPresenting() ? 1800 : 600;
    const seen = new Map<string, DOMRect>();
    for (const card of root.querySelectorAll<HTMLElement>(selector)) {
      const key = card.dataset['key'] ?? '';
      const now = card.getBoundingClientRect();
      seen.set(key, now);
      const before = last.current.get(key);
      if (still) continue;
      if (!before) {
        if (last.current.size > 0) card.animate([{ opacity: 0 }, { opacity: 1 }], { duration });
        continue;
      }
      const dx = before.left - now.left;
      const dy = before.top - now.top;
      if (Math.abs(dx) < 1 && Math.abs(dy) < 1) continue;
      card.animate([{ transform: `translate(${dx}px, ${dy}px)` }, { transform: 'none' }], {
        duration,
        easing: 'cubic-bezier(0.2, 0.7, 0.2, 1)',
      });
    }
    last.current = seen;
  });
}
