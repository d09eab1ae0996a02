// marcjs ships no types; these cover the parts we use (the record model and its writers).
declare module 'marcjs' {
  /** A control field is [tag, value]; a data field is [tag, indicators, code, value, code, value…]. */
  export type MarcjsField = string[];

  export class Record {
    leader: string;
    fields: MarcjsField[];
    constructor();
    append(...fields: MarcjsField[]): void;
  }

  export const Marc: {
    format(record: Record, type: 'Iso2709' | 'Marcxml' | 'Text' | 'Json' | 'MiJ'): string;
    createStream(type: string, kind: 'Parser' | 'Formater'): NodeJS.ReadWriteStream & { count: number };
  };
}
