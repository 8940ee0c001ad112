// Package values parses the text of department extract cells (see
// spec/inputs.md, "File conventions"): amounts, months, dates, yes/no flags
// and whole numbers, in the dirty forms that Excel exports and hand-kept
// spreadsheets produce. The parsers are pure functions of their input: no I/O,
// no locale, no clock.
//
// Every parser folds full-width characters to their ASCII forms and trims
// surrounding white space before looking at the text, and each error names
// the kind of value, the original text and what was wrong with it, for
// example: parsing amount "12.345": more than 2 decimals.
package values
