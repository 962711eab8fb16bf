import type { ColumnType } from 'kysely';

/** A setting an admin changes at run time (modules/cases/settings.ts lists them and their defaults). */
export interface SettingTable {
  key: string;
  value: ColumnType<unknown, string, string>;
  updated_at: ColumnType<Date, Date | undefined, Date>;
  updated_by: number | null;
}
