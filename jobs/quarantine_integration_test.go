package jobs_test

import (
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/stretchr/testify/require"

	"zengshou/internal/poisonmem"
	"zengshou/jobs"
	"zengshou/pipeline"
	"zengshou/schemas"
	"zengshou/synth"
	"zengshou/transforms/values"
)

var (
	idRun      = regexp.MustCompile(`[0-9０-９XxＸｘ]+`)
	excelForm  = regexp.MustCompile(`[0-9０-９][.．][0-9０-９]{9,}[EeＥｅ]`)
	digitsOnly = regexp.MustCompile(`^[0-9０-９]+$`)
	digit      = regexp.MustCompile(`[0-9０-９]`)
)

// idLike lists what could be an ID number in stored text, independently of
// the pipeline's own masking: a run of 15 digits, of 17 digits and a digit
// or X, or a longer run with an ID number in it (ASCII or full-width), and
// Excel's scientific form of one. (16 digits are a 户编号.)
func idLike(s string) []string {
	out := excelForm.FindAllString(s, -1)
	for _, run := range idRun.FindAllString(s, -1) {
		r := []rune(run)
		switch {
		case len(r) == 15 && digitsOnly.MatchString(run),
			len(r) == 18 && digitsOnly.MatchString(string(r[:17])),
			len(r) > 18 && len(digit.FindAllString(run, -1)) >= 17:
			out = append(out, run)
		}
	}
	return out
}

// TestQuarantineHoldsNoRawIdentity generates a dirty inbox with ragged rows
// in every source (an unquoted 李,四; a comma inside an ID number or an
// amount; a field left out), runs it into the warehouse, and scans every
// text column of every quarantine row: no ID-shaped value at all, none of
// the inbox's ID numbers in any form, and no roster name in the roster's
// quarantine rows. The names and IDs come from the clean inbox of the same
// seed, which holds the same persons.
func TestQuarantineHoldsNoRawIdentity(t *testing.T) {
	ctx := context.Background()
	sink := warehouse(t)
	cfg := synth.DefaultConfig()
	cfg.Seed, cfg.Households, cfg.From, cfg.To = 5, 300, "2025-01", "2025-01"
	cfg.Dirty.Ragged, cfg.Dirty.IDInvalid, cfg.Dirty.DuplicatePerson = 0.08, 0.02, 0.02
	inbox := t.TempDir()
	truth, err := synth.Generate(ctx, cfg, inbox)
	require.NoError(t, err)
	jan := truth.Periods["2025-01"]
	ragged := map[string]int64{}
	for _, f := range jan.Files {
		ragged[f.Source] += f.Quarantined[synth.ReasonFieldCount]
	}
	for _, src := range schemas.AwaitedSources() { // the sources the generator writes by default
		require.Positive(t, ragged[src], "the inbox has ragged rows in %s", src)
	}

	clean := synth.Clean()
	clean.Seed, clean.Households, clean.From, clean.To = cfg.Seed, cfg.Households, cfg.From, cfg.To
	cleanInbox := t.TempDir()
	_, err = synth.Generate(ctx, clean, cleanInbox)
	require.NoError(t, err)
	ids, names := rosterIdentities(t, filepath.Join(cleanInbox, "2025-01", "roster.csv"))
	require.Greater(t, len(ids), 500)

	mem := memory.NewCheckedAllocator(poisonmem.New())
	defer mem.AssertSize(t, 0)
	jan25 := values.NewMonth(2025, 1)
	runs, err := jobs.RunPeriods(ctx, newRunner(t, sink, mem), testLocking(t), inbox, jan25, jan25, mem)
	require.NoError(t, err)
	require.Equal(t, pipeline.StatusPublished, runs[0].Status)
	for _, st := range runs[0].Sources {
		require.Equal(t, jan.Files[st.File].Quarantined[synth.ReasonFieldCount], st.Reasons[schemas.ReasonFieldCount], "%s FIELD_COUNT rows", st.File)
	}

	var texts []string
	for _, c := range schemas.QuarantineTable.Columns {
		if c.Type == "String" {
			texts = append(texts, c.Name)
		}
	}
	rows, err := sink.Conn().Query(ctx, fmt.Sprintf("SELECT source, reason_code, [%s] FROM quarantine", strings.Join(texts, ", ")))
	require.NoError(t, err)
	defer rows.Close()
	scanned, fieldCount := 0, 0
	for rows.Next() {
		var source, reason string
		var values []string
		require.NoError(t, rows.Scan(&source, &reason, &values))
		scanned++
		if reason == schemas.ReasonFieldCount {
			fieldCount++
		}
		for i, v := range values {
			require.Empty(t, idLike(v), "%s %s quarantine.%s holds an ID-shaped value: %s", source, reason, texts[i], v)
			for _, id := range ids {
				require.NotContains(t, v, id[6:17], "%s %s quarantine.%s holds the hidden digits of an ID: %s", source, reason, texts[i], v)
			}
			if source != schemas.Roster {
				continue
			}
			for _, name := range names {
				require.NotContains(t, v, name, "roster quarantine.%s holds a name: %s", texts[i], v)
			}
		}
	}
	require.NoError(t, rows.Err())
	require.Positive(t, fieldCount)
	require.Greater(t, scanned, fieldCount, "other reasons are scanned too")
}

// rosterIdentities reads the ID numbers and the names (of two characters or
// more) of a clean roster extract.
func rosterIdentities(t *testing.T, path string) (ids, names []string) {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	require.NoError(t, err)
	idCol, nameCol := -1, -1
	for i, h := range recs[0] {
		switch h {
		case "身份证号":
			idCol = i
		case "姓名":
			nameCol = i
		}
	}
	for _, rec := range recs[1:] {
		ids = append(ids, rec[idCol])
		if utf8.RuneCountInString(rec[nameCol]) >= 2 {
			names = append(names, rec[nameCol])
		}
	}
	return ids, names
}
