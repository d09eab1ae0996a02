import panels from 'dashboard:panels';
import { isPresenting } from '../router.tsx';
import { DemoStepBanner } from './demo-step-banner.tsx';
import { PanelSection, panelsFor } from './panel-section.tsx';

/** `/`: the pipeline first, then WorldCat, the journal and the controls, as panels/ lists them. */
export function BoardPage() {
  return (
    <>
      <h1 class="page-title">Data Sync board</h1>
      <DemoStepBanner />
      <div class="panels">
        {panelsFor(panels, 'board', isPresenting()).map((panel) => (
          <PanelSection panel={panel} key={panel.id}>
            <panel.Component />
          </PanelSection>
        ))}
      </div>
    </>
  );
}
