import type { ComponentChildren } from 'preact';
import type { PanelDefinition } from '../panel.ts';

/** A panel's region: a section named by its heading, so screen readers list it as a landmark. */
export function PanelSection(props: { panel: PanelDefinition; children: ComponentChildren }) {
  const { panel } = props;
  return (
    <section
      id={panel.id}
      aria-labelledby={`${panel.id}-h`}
      class={`panel panel-${panel.id} ${panel.width === 'half' ? 'half' : 'wide'}`}
    >
      <h2 id={`${panel.id}-h`}>{panel.title}</h2>
      {props.children}
    </section>
  );
}

/** The panels of one page, in order, less those presenter mode leaves out. */
export function panelsFor<P extends PanelDefinition['page']>(
  all: readonly PanelDefinition[],
  page: P,
  presenting: boolean,
): Extract<PanelDefinition, { page: P }>[] {
  return all
    .filter((p): p is Extract<PanelDefinition, { page: P }> => p.page === page)
    .filter((p) => !(presenting && p.hideWhenPresenting))
    .sort((a, b) => a.order - b.order || a.id.localeCompare(b.id));
}
