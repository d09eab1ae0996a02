/** The kinds of output file OCLC delivers; `merges` files travel in the updates folder. */
export const OUTPUT_KINDS = ['new', 'updates', 'deletes', 'merges'] as const;
export type OutputKind = (typeof OUTPUT_KINDS)[number];

export const OUTPUT_FORMATS = ['marc21', 'marcxml'] as const;
export const OUTPUT_ENCODINGS = ['utf8', 'marc8'] as const;
export const OUTPUT_FREQUENCIES = ['daily', 'weekly', 'monthly', 'quarterly'] as const;
export type OutputFrequency = (typeof OUTPUT_FREQUENCIES)[number];

/** A collection's record output settings (config `collections[].output`). */
export interface OutputSettings {
  readonly enabled: boolean;
  readonly format: (typeof OUTPUT_FORMATS)[number];
  readonly encoding: (typeof OUTPUT_ENCODINGS)[number];
  readonly frequency: OutputFrequency;
  readonly include: readonly OutputKind[];
  /** `TAG$code` where delivered records carry the library's LSN. */
  readonly lsnField: string;
}

/** The folder under out/ongoing/ each kind is delivered to. */
export const OUTPUT_FOLDER: Readonly<Record<OutputKind, 'new' | 'updates' | 'deletes'>> = {
  new: 'new',
  updates: 'updates',
  deletes: 'deletes',
  merges: 'updates',
};
