import { useDemoStep } from '../hooks/live.tsx';

/** While `datasync-sim demo` runs, the step of the story it is telling, for the room to read. */
export function DemoStepBanner() {
  const step = useDemoStep();
  return (
    <div class="demo-step" aria-live="polite" data-testid="demo-step">
      {step && (
        <>
          <p class="demo-step-count">
            Demo step {step.step} of {step.total}
          </p>
          <p class="demo-step-title">{step.title}</p>
          <p class="demo-step-why">{step.why}</p>
        </>
      )}
    </div>
  );
}
