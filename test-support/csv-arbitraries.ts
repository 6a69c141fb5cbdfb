/**
 * fast-check arbitraries for the CSV tests of every package: cells full of what CSV must quote (commas,
 * quotes, CR, LF), spaces at either end, `;`, non-ASCII, and the values Zoho records hold (numbers,
 * booleans, null, lookups, multi-selects, other objects).
 */
import fc from 'fast-check';

/** Text made of CSV's special characters and a few ordinary ones (no BOM: a reader drops a leading one). */
export const cellText: fc.Arbitrary<string> = fc.string({
  unit: fc.constantFrom(',', '"', '\r', '\n', ' ', ';', 'a', 'Z', '0', 'é', '中', '😀', '\t', '='),
  maxLength: 8,
});

/** A table of text cells: a row count and one column count for all rows, as a CSV file holds. */
export const textTable: fc.Arbitrary<string[][]> = fc
  .integer({ min: 1, max: 4 })
  .chain((columns) => fc.array(fc.array(cellText, { minLength: columns, maxLength: columns }), { minLength: 1, maxLength: 6 }));

/** A value a Zoho record field can hold. */
export const fieldValue: fc.Arbitrary<unknown> = fc.oneof(
  cellText,
  fc.constant(null),
  fc.constant(undefined),
  fc.boolean(),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.record({ id: fc.stringMatching(/^\d{1,19}$/), name: cellText }),
  fc.array(cellText, { maxLength: 3 }),
  fc.record({ street: cellText, zip: fc.option(fc.integer(), { nil: null }) }),
  fc.array(fc.record({ id: fc.stringMatching(/^\d{1,5}$/) }), { minLength: 1, maxLength: 2 }).map((items) => [...items, null]),
);

/** A table of field values (header of text first), as an export or a bulk job writes one. */
export const valueTable: fc.Arbitrary<unknown[][]> = fc
  .integer({ min: 1, max: 4 })
  .chain((columns) =>
    fc.tuple(
      fc.array(cellText, { minLength: columns, maxLength: columns }),
      fc.array(fc.array(fieldValue, { minLength: columns, maxLength: columns }), { maxLength: 6 }),
    ),
  )
  .map(([header, rows]) => [header, ...rows]);
