// SpreadsheetApp.newDataValidation() builder and the DataValidation rules it builds.
import { boxToA1, type GridBox } from './a1';
import { enumKey, type Env, type GasEnumValue } from './env';
import { DataValidationCriteria } from './enums';
import type { Validation } from './model';

const records = new WeakMap<object, Validation>();

/**
 * A list rule holds at most 500 items. Recorded from real executions (three public projects, 2019–2024):
 * "Exception: The data validation rule has more items than the limit of 500. Use the "List from a range"
 * criteria instead." Where Google raises it (build or setDataValidation) is not on record: the fake
 * raises it at build(), the earlier of the two (a rule that cannot be built cannot be applied either).
 */
export const MAX_LIST_ITEMS = 500;
export const LIST_LIMIT_MESSAGE =
  'The data validation rule has more items than the limit of 500. Use the "List from a range" criteria instead.';

/**
 * What a "List from a range" rule stores: the range's sheet and A1 notation (Apps Script hands back a
 * Range from getCriteriaValues; the fake keeps this plain description, so a workbook saves as JSON).
 */
export interface RangeCriterion {
  sheet: string;
  range: string;
}

/** The stored rule behind a DataValidation object, or null when `v` is not one. */
export function validationRecord(v: unknown): Validation | null {
  return typeof v === 'object' && v !== null ? (records.get(v) ?? null) : null;
}

export class DataValidationApi {
  constructor(private readonly rule: Validation) {
    records.set(this, rule);
  }
  getAllowInvalid(): boolean {
    return this.rule.allowInvalid;
  }
  getCriteriaType(): GasEnumValue {
    return DataValidationCriteria[this.rule.criteria as keyof typeof DataValidationCriteria];
  }
  getCriteriaValues(): unknown[] {
    return this.rule.values.map((v) => (Array.isArray(v) ? v.slice() : v));
  }
  getHelpText(): string | null {
    return this.rule.helpText;
  }
  copy(): DataValidationBuilderApi {
    return new DataValidationBuilderApi(null, { ...this.rule });
  }
}

export class DataValidationBuilderApi {
  private rule: Validation;

  constructor(
    private readonly env: Env | null,
    rule?: Validation,
  ) {
    // New rules allow invalid input (show a warning) unless setAllowInvalid(false) is called.
    this.rule = rule ?? { criteria: 'VALUE_IN_LIST', values: [[], true], allowInvalid: true, helpText: null };
  }

  private fail(message: string): Error {
    return this.env ? this.env.fail(message) : new Error(message);
  }

  requireValueInList(values: unknown, showDropdown = true): DataValidationBuilderApi {
    if (!Array.isArray(values)) {
      throw this.fail(
        `The parameters (${typeof values}) don't match the method signature for SpreadsheetApp.DataValidationBuilder.requireValueInList.`,
      );
    }
    this.rule = {
      ...this.rule,
      criteria: 'VALUE_IN_LIST',
      values: [values.map(String), Boolean(showDropdown)],
    };
    return this;
  }
  requireValueInRange(range: unknown, showDropdown = true): DataValidationBuilderApi {
    const r = range as { _sheet?: { name: string }; _box?: GridBox } | null;
    if (!r?._sheet || !r._box)
      throw this.fail(
        "The parameters don't match the method signature for SpreadsheetApp.DataValidationBuilder.requireValueInRange.",
      );
    const criterion: RangeCriterion = { sheet: r._sheet.name, range: boxToA1(r._box) };
    this.rule = { ...this.rule, criteria: 'VALUE_IN_RANGE', values: [criterion, Boolean(showDropdown)] };
    return this;
  }
  requireCheckbox(checkedValue?: unknown, uncheckedValue?: unknown): DataValidationBuilderApi {
    const values = [checkedValue, uncheckedValue].filter((v) => v !== undefined);
    this.rule = { ...this.rule, criteria: 'CHECKBOX', values };
    return this;
  }
  requireFormulaSatisfied(formula: string): DataValidationBuilderApi {
    this.rule = { ...this.rule, criteria: 'CUSTOM_FORMULA', values: [formula] };
    return this;
  }
  requireNumberBetween(start: number, end: number): DataValidationBuilderApi {
    this.rule = { ...this.rule, criteria: 'NUMBER_BETWEEN', values: [start, end] };
    return this;
  }
  requireTextIsEmail(): DataValidationBuilderApi {
    this.rule = { ...this.rule, criteria: 'TEXT_IS_VALID_EMAIL', values: [] };
    return this;
  }
  requireDate(): DataValidationBuilderApi {
    this.rule = { ...this.rule, criteria: 'DATE_IS_VALID_DATE', values: [] };
    return this;
  }
  withCriteria(criteria: unknown, args: unknown[]): DataValidationBuilderApi {
    const key = enumKey(criteria, DataValidationCriteria);
    if (!key)
      throw this.fail(
        "The parameters don't match the method signature for SpreadsheetApp.DataValidationBuilder.withCriteria.",
      );
    this.rule = { ...this.rule, criteria: key, values: args.slice() };
    return this;
  }
  setAllowInvalid(allowInvalidData: boolean): DataValidationBuilderApi {
    this.rule = { ...this.rule, allowInvalid: Boolean(allowInvalidData) };
    return this;
  }
  setHelpText(helpText: string): DataValidationBuilderApi {
    this.rule = { ...this.rule, helpText: String(helpText) };
    return this;
  }
  getAllowInvalid(): boolean {
    return this.rule.allowInvalid;
  }
  getCriteriaType(): GasEnumValue {
    return DataValidationCriteria[this.rule.criteria as keyof typeof DataValidationCriteria];
  }
  getCriteriaValues(): unknown[] {
    return this.rule.values.slice();
  }
  getHelpText(): string | null {
    return this.rule.helpText;
  }
  copy(): DataValidationBuilderApi {
    return new DataValidationBuilderApi(this.env, { ...this.rule });
  }
  build(): DataValidationApi {
    const list = this.rule.values[0];
    if (this.rule.criteria === 'VALUE_IN_LIST' && Array.isArray(list) && list.length > MAX_LIST_ITEMS)
      throw this.fail(LIST_LIMIT_MESSAGE);
    return new DataValidationApi({ ...this.rule, values: this.rule.values.slice() });
  }
}

/** SpreadsheetApp.newTextStyle(): a minimal builder; the style is applied by Range.setTextStyle. */
export interface TextStyleData {
  bold?: boolean;
  italic?: boolean;
  color?: string;
  fontSize?: number;
  fontFamily?: string;
}

const styles = new WeakMap<object, TextStyleData>();

export function textStyleData(v: unknown): TextStyleData | null {
  return typeof v === 'object' && v !== null ? (styles.get(v) ?? null) : null;
}

export class TextStyleBuilderApi {
  private data: TextStyleData = {};
  setBold(bold: boolean): TextStyleBuilderApi {
    this.data.bold = Boolean(bold);
    return this;
  }
  setItalic(italic: boolean): TextStyleBuilderApi {
    this.data.italic = Boolean(italic);
    return this;
  }
  setForegroundColor(color: string): TextStyleBuilderApi {
    this.data.color = color;
    return this;
  }
  setFontSize(size: number): TextStyleBuilderApi {
    this.data.fontSize = size;
    return this;
  }
  setFontFamily(family: string): TextStyleBuilderApi {
    this.data.fontFamily = family;
    return this;
  }
  build(): object {
    const data = { ...this.data };
    const style = {
      isBold: () => data.bold ?? false,
      isItalic: () => data.italic ?? false,
      getForegroundColor: () => data.color ?? null,
      getFontSize: () => data.fontSize ?? 10,
      getFontFamily: () => data.fontFamily ?? 'Arial',
    };
    styles.set(style, data);
    return style;
  }
}
