package jobs_test

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/stretchr/testify/require"

	"zengshou/internal/poisonmem"
	"zengshou/internal/whsum"
	"zengshou/jobs"
	"zengshou/synth"
	"zengshou/transforms/values"
)

var updateChecksums = flag.Bool("update-checksums", false, "rewrite testdata/warehouse-checksums.txt from this run")

// checksumsFile holds the checksums of every warehouse table on the
// province of TestTheWarehouseHoldsTheRecordedRows, taken before the
// departments refactoring (issue 11) and kept as its proof.
const checksumsFile = "testdata/warehouse-checksums.txt"

// checksumWhere narrows a table's checksum to the rows that existed when the
// figures were taken: the rows of codes added since (the rules and
// indicators of the housing, water and collective departments, issue 11)
// are not part of the proof; checksumExprs drops those departments from the
// run's missing sources (the province delivers none of them, so every run
// now records them missing).
var (
	newIndicators = "('HOUSING_SAFE_RATE', 'WATER_SAFE_RATE')"
	newRules      = "('HOUSING_UNSAFE_NOT_PLANNED', 'HOUSING_RENOVATION_STALLED', 'WATER_UNSAFE', 'SEASONAL_WATER_SHORTAGE', 'COLLECTIVE_SHARE_MISSING')"
	checksumWhere = map[string]string{
		"indicator":     "indicator_code NOT IN " + newIndicators,
		"dim_indicator": "indicator_code NOT IN " + newIndicators,
		"discrepancy":   "rule_code NOT IN " + newRules,
		"dim_rule":      "rule_code NOT IN " + newRules,
	}
	checksumExprs = map[string]string{
		"etl_run.missing_sources": "arrayFilter(s -> NOT has(['housing', 'collective', 'water'], s), missing_sources)",
	}
)

// recordedProvince generates the inbox the checksums were recorded from:
// seed 20241101, 400 households, 2024-11..2025-02, every file form.
func recordedProvince(t *testing.T) string {
	t.Helper()
	inbox := t.TempDir()
	cfg := synth.DefaultConfig()
	cfg.Seed, cfg.Households, cfg.From, cfg.To = 20241101, 400, "2024-11", "2025-02"
	cfg.XLSXShare = 0.05
	_, err := synth.Generate(context.Background(), cfg, inbox)
	require.NoError(t, err)
	return inbox
}

// TestTheWarehouseHoldsTheRecordedRows generates a fixed dirty province
// (seed, 400 households, 2024-11..2025-02: a December behind January, every
// file form) and loads its four months in order; every table, over the
// columns recorded in checksumsFile, must hold exactly the recorded rows.
// A refactoring of the engine that changes any published value, row or
// quarantine entry fails here.
func TestTheWarehouseHoldsTheRecordedRows(t *testing.T) {
	ctx := context.Background()
	sink := warehouse(t)
	inbox := recordedProvince(t)
	mem := memory.NewCheckedAllocator(poisonmem.New())
	defer mem.AssertSize(t, 0)
	runs, err := jobs.RunPeriods(ctx, newRunner(t, sink, mem), testLocking(t), inbox,
		values.NewMonth(2024, 11), values.NewMonth(2025, 2), mem)
	require.NoError(t, err)
	require.Len(t, runs, 4)

	if *updateChecksums {
		got, err := whsum.Compute(ctx, sink.Conn(), whsum.Stable(), nil, nil)
		require.NoError(t, err)
		lines := []string{"# table rows sum(cityHash64(columns)) columns — see TestTheWarehouseHoldsTheRecordedRows"}
		for _, c := range got {
			lines = append(lines, c.String())
		}
		require.NoError(t, os.MkdirAll(filepath.Dir(checksumsFile), 0o755))
		require.NoError(t, os.WriteFile(checksumsFile, []byte(strings.Join(lines, "\n")+"\n"), 0o644))
		return
	}
	want, err := whsum.Read(checksumsFile)
	require.NoError(t, err)
	got, err := whsum.Compute(ctx, sink.Conn(), want, checksumWhere, checksumExprs)
	require.NoError(t, err)
	for i := range want {
		require.Equal(t, want[i].String(), got[i].String(), "table %s", want[i].Table)
	}
}
