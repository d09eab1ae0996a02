import type { OutputSettings } from '../../oclc/datasync/output-settings.ts';
import type { Collection, Institution, SimulatorConfig } from '../config/simulator-config.ts';

/** A collection whose records are delivered, with its institution and settings. */
export interface OutputTarget {
  institution: Institution;
  collection: Collection;
  settings: OutputSettings;
}

/** Every collection with record output turned on, in configuration order. */
export function outputTargets(config: Pick<SimulatorConfig, 'institutions'>): OutputTarget[] {
  return config.institutions.flatMap((institution) =>
    institution.collections.flatMap((collection) =>
      collection.output?.enabled ? [{ institution, collection, settings: collection.output }] : [],
    ),
  );
}

/** Institutions whose WorldCat changes record output must log. */
export function watchedSymbols(config: Pick<SimulatorConfig, 'institutions'>): string[] {
  return [...new Set(outputTargets(config).map((t) => t.institution.symbol))];
}
