// The emulated Airtable data: bases, tables with field schemas, records with per-field modified times, views.
import { unknownField } from './errors.ts';
import { type CellValue, cellValue, type Field, type FieldSpec } from './fields.ts';
import type { Formula } from './formula.ts';
import { newId } from './ids.ts';

export interface StoredRecord {
  id: string;
  createdTime: number;
  /** Non-empty cells by field id. */
  cells: Map<string, CellValue>;
  /** When each field was last written, by field id (LAST_MODIFIED_TIME). */
  modified: Map<string, number>;
}

/** A record as a person (or a view's filter function) sees it: cells by field name. */
export interface RecordView {
  id: string;
  createdTime: string;
  fields: Record<string, CellValue>;
}

export interface SortSpec {
  field: string;
  direction?: 'asc' | 'desc';
}

/** A named saved filter and sort of a table. */
export interface View {
  id: string;
  name: string;
  filter?: ((record: RecordView) => boolean) | Formula;
  sort: SortSpec[];
}

/** Changes to apply to one record: field id → new value (undefined clears the cell). */
export type CellChanges = Map<string, CellValue | undefined>;

export class Table {
  readonly fields: Field[] = [];
  /** In creation order. */
  readonly records = new Map<string, StoredRecord>();
  readonly views: View[] = [];

  constructor(
    readonly id: string,
    public name: string,
    specs: FieldSpec[],
  ) {
    for (const spec of specs) this.addField(spec);
  }

  addField(spec: FieldSpec): Field {
    if (this.field(spec.name))
      throw new Error(`Airtable emulator: table ${this.name} already has ${spec.name}`);
    const field = { id: newId('fld'), name: spec.name, type: spec.type, choices: [...(spec.choices ?? [])] };
    this.fields.push(field);
    return field;
  }

  /** A field by exact name or id. */
  field(nameOrId: string): Field | undefined {
    return this.fields.find((f) => f.name === nameOrId || f.id === nameOrId);
  }

  /** @throws 422 UNKNOWN_FIELD_NAME */
  fieldOr422(nameOrId: string): Field {
    const field = this.field(nameOrId);
    if (!field) throw unknownField(nameOrId);
    return field;
  }

  view(nameOrId: string): View | undefined {
    return this.views.find((v) => v.name === nameOrId || v.id === nameOrId);
  }

  /**
   * Checks and converts `fields` (name or id → value) without changing anything. `addOptions`: the
   * writer may create select options (with typecast, a Creator).
   * @throws 422 UNKNOWN_FIELD_NAME / INVALID_VALUE_FOR_COLUMN / INVALID_MULTIPLE_CHOICE_OPTIONS
   */
  changes(fields: Record<string, unknown>, typecast: boolean, addOptions = typecast): CellChanges {
    const out: CellChanges = new Map();
    for (const [name, raw] of Object.entries(fields)) {
      const field = this.fieldOr422(name);
      out.set(field.id, cellValue(field, raw, typecast, addOptions));
    }
    return out;
  }

  create(changes: CellChanges, now: number): StoredRecord {
    const record: StoredRecord = {
      id: newId('rec'),
      createdTime: now,
      cells: new Map(),
      modified: new Map(),
    };
    this.write(record, changes, false, now);
    this.records.set(record.id, record);
    return record;
  }

  /** Applies changes; `destructive` (PUT) clears every cell not named. Only changed cells get a new modified time. */
  write(record: StoredRecord, changes: CellChanges, destructive: boolean, now: number): void {
    const all: CellChanges = destructive
      ? new Map(this.fields.map((f) => [f.id, changes.get(f.id)]))
      : changes;
    for (const [fieldId, value] of all) {
      const before = record.cells.get(fieldId);
      if (sameCell(before, value)) continue;
      if (value === undefined) record.cells.delete(fieldId);
      else record.cells.set(fieldId, value);
      record.modified.set(fieldId, now);
    }
  }

  viewOf(record: StoredRecord): RecordView {
    const fields: Record<string, CellValue> = {};
    for (const field of this.fields) {
      const value = record.cells.get(field.id);
      if (value !== undefined) fields[field.name] = Array.isArray(value) ? [...value] : value;
    }
    return { id: record.id, createdTime: new Date(record.createdTime).toISOString(), fields };
  }
}

export class Base {
  readonly tables: Table[] = [];

  constructor(
    readonly id: string,
    public name: string,
  ) {}

  /** A table by id or exact name. */
  table(nameOrId: string): Table | undefined {
    return this.tables.find((t) => t.id === nameOrId || t.name === nameOrId);
  }
}

/** True when two cells hold the same value (select lists compared in order). */
export function sameCell(a: CellValue | undefined, b: CellValue | undefined): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => v === b[i]);
  return a === b;
}
