package synth

import (
	"math/rand/v2"

	"zengshou/schemas"
)

// fileWriter writes one extract and keeps the accounting the truth needs.
type fileWriter struct {
	src    schemas.Source
	period month
	csv    *csvFile
	roles  columnRoles
	picker dirtPicker
	row    rowBuf
	kind   dirtKind
	key    int32
	// match is the set of roster persons (households for household_income)
	// of the period; a row whose key is outside it is unmatched. It is nil
	// for sources that are not joined to the roster.
	match       bitset
	quarantined map[string]int64
	unmatched   int64
}

// start begins a row about the person or household key (-1 for someone
// outside the roster) and draws its dirt unless dirty is false.
func (fw *fileWriter) start(d *rand.Rand, key int32, dirty bool) {
	fw.row.reset()
	fw.key = key
	fw.kind = dirtNone
	if dirty {
		fw.kind = fw.picker.pick(d)
	}
}

// finish applies the row's dirt, writes the row and counts it. It reports
// whether the pipeline accepts the row, and whether the row drew an
// unmatched row to follow it.
func (fw *fileWriter) finish(d *rand.Rand) (accepted, unmatchedNext bool, err error) {
	k := fw.kind
	if k == dirtUnmatched || k == dirtDuplicate {
		// These kinds add a row elsewhere; this row stays clean.
		k = dirtNone
	}
	k = fw.roles.apply(k, d, &fw.row, fw.period)
	if err := fw.csv.writeRow(&fw.row); err != nil {
		return false, false, err
	}
	if reason := k.reason(); reason != "" {
		fw.quarantined[reason]++
		return false, false, nil
	}
	if fw.match != nil && (fw.key < 0 || !fw.match.has(fw.key)) {
		fw.unmatched++
	}
	return true, fw.kind == dirtUnmatched, nil
}

// writeQuarantined writes the current row as it is and counts it under
// reason (the later row of a duplicated person).
func (fw *fileWriter) writeQuarantined(reason string) error {
	if err := fw.csv.writeRow(&fw.row); err != nil {
		return err
	}
	fw.quarantined[reason]++
	return nil
}

// truth is the file's accounting.
func (fw *fileWriter) truth() FileTruth {
	return FileTruth{Source: fw.src.Name, Rows: fw.csv.rows, Quarantined: fw.quarantined, Unmatched: fw.unmatched}
}

// yesNo spells a flag as the file does.
func (fw *fileWriter) yesNo(v bool) string {
	if v {
		return fw.csv.form.yes
	}
	return fw.csv.form.no
}
