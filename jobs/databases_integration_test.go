package jobs_test

import (
	"context"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/stretchr/testify/require"

	"zengshou/config"
	"zengshou/internal/deptdb"
	"zengshou/internal/testenv"
	"zengshou/jobs"
	"zengshou/pipeline"
	"zengshou/synth"
	"zengshou/transforms/values"
)

// TestDatabasesPublishWhatTheFilesDo generates a dirty province (every kind
// of dirt but rows naming another month, which a database restricted to the
// period in SQL never returns), loads its extracts into PostgreSQL and
// MariaDB tables shaped like the departments' own (sfzh VARCHAR, ffje
// NUMERIC(12,2), ffny CHAR(6), jyny INTEGER, tjrq DATE …), runs the same two
// periods from the files, from PostgreSQL and from MariaDB, and proves the
// three warehouses identical: ordered checksums per table and period, run_id
// aside and, in the quarantine, the file name, line and raw row (a source
// name and row ordinal, and NUMERIC text, in place of file forms), and the
// roster line a DUPLICATE_PERSON finding quotes (a row ordinal from a
// database, one less than the file's line).
func TestDatabasesPublishWhatTheFilesDo(t *testing.T) {
	ctx := context.Background()
	pg, my := testenv.Postgres(t), testenv.MariaDB(t)
	cfg := synth.DefaultConfig()
	cfg.Households, cfg.From, cfg.To = 300, "2025-01", "2025-02"
	cfg.Dirty.IDInvalid, cfg.Dirty.DuplicatePerson, cfg.Dirty.UnknownRegion = 0.02, 0.02, 0.02
	cfg.Dirty.PeriodMismatch = 0
	// A database table has typed columns, not delimited fields: a ragged
	// row has no database form, so the files carry none either.
	cfg.Dirty.Ragged = 0
	cfg.XLSXShare = 0.2
	inbox := t.TempDir()
	_, err := synth.Generate(ctx, cfg, inbox)
	require.NoError(t, err)
	jan, feb := values.NewMonth(2025, 1), values.NewMonth(2025, 2)
	periods := []values.Month{jan, feb}

	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	fileSink := warehouse(t)
	fileRuns, err := jobs.RunPeriods(ctx, newRunner(t, fileSink, mem), testLocking(t), inbox, jan, feb, mem)
	require.NoError(t, err)
	skip := map[string]string{"quarantine.file": "", "quarantine.line": "", "quarantine.row": "",
		// DUPLICATE_PERSON names the roster line of the other household.
		"discrepancy.detail": `replaceRegexpAll(detail, '名册第[0-9]+行', '名册第N行')`}
	want := checksums(t, fileSink, skip)
	require.NotEmpty(t, want["quarantine 2025-01-01"], "the province has quarantined rows")
	t.Logf("files: %v", want)

	for _, db := range []struct{ kind, dsn string }{{config.KindPostgres, pg}, {config.KindMySQL, my}} {
		t.Run(db.kind, func(t *testing.T) {
			sources, err := deptdb.Load(ctx, db.kind, db.dsn, inbox, periods)
			require.NoError(t, err)
			sink := warehouse(t)
			runs, err := jobs.Deliveries{Databases: sources}.RunPeriods(ctx, newRunner(t, sink, mem), testLocking(t), jan, feb, mem, jobs.Options{})
			require.NoError(t, err)
			for i, run := range runs {
				require.Equal(t, pipeline.StatusPublished, run.Status)
				require.Equal(t, accounting(fileRuns[i]), accounting(run), "%s accounting per source", run.Period)
			}
			require.Equal(t, want, checksums(t, sink, skip))
		})
	}
}

// accounting is a run's per-source rows read, accepted, quarantined by
// reason and unmatched, by source.
func accounting(r *pipeline.Run) map[string]pipeline.SourceStats {
	out := map[string]pipeline.SourceStats{}
	for _, s := range r.Sources {
		s.File, s.Encoding, s.Extra = "", "", nil
		s.Reasons = nonZero(s.Reasons)
		out[s.Source] = s
	}
	return out
}
