package jobs

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/stretchr/testify/require"

	"zengshou/transforms/values"
)

func TestInboxExtracts(t *testing.T) {
	june := values.NewMonth(2025, 6)
	for name, tc := range map[string]struct {
		files   []string
		sources []string
		err     string
	}{
		"csv and gzip":      {files: []string{"roster.csv", "employment.csv.gz", "README.txt"}, sources: []string{"roster", "employment"}},
		"nothing delivered": {files: []string{}, sources: nil},
		"delivered twice":   {files: []string{"civil.csv", "civil.csv.gz"}, err: "civil delivered twice"},
		"misnamed extract":  {files: []string{"roster.csv", "employment (1).csv"}, err: "employment (1).csv names no source"},
		"upper-case name":   {files: []string{"Roster.CSV"}, err: "Roster.CSV names no source"},
		// Windows tools write upper-case extensions: the extension's case
		// does not matter, the source name's does.
		"upper-case extensions": {files: []string{"roster.CSV", "employment.Csv.GZ"}, sources: []string{"roster", "employment"}},
		"twice by case":         {files: []string{"civil.csv", "civil.CSV"}, err: "civil delivered twice"},
		"bare extension":        {files: []string{".CSV"}, err: ".CSV names no source"},
		"upper-case xlsx":       {files: []string{"medical.XLSX"}, sources: []string{"medical"}},
		"xlsx":                  {files: []string{"roster.csv", "medical.xlsx"}, sources: []string{"roster", "medical"}},
		"old .xls":              {files: []string{"roster.csv", "employment.xls"}, err: "employment.xls names source employment but is an old binary Excel workbook: open it in Excel and save it as .xlsx"},
		"zip":                   {files: []string{"civil.zip"}, err: "civil.zip names source civil but is an archive: unpack it"},
		"tsv":                   {files: []string{"pension.tsv"}, err: "pension.tsv names source pension but is tab-separated text: save it as comma-separated CSV"},
		"txt":                   {files: []string{"employment.txt"}, err: "employment.txt names source employment but is a text file"},
		"unknown form":          {files: []string{"sales.numbers"}, err: "sales.numbers names source sales but is a form zengshou cannot read"},
		"csv and xlsx":          {files: []string{"medical.csv", "medical.xlsx"}, err: "medical delivered twice"},
	} {
		t.Run(name, func(t *testing.T) {
			inbox := t.TempDir()
			dir := filepath.Join(inbox, "2025-06")
			require.NoError(t, os.MkdirAll(dir, 0o755))
			for _, f := range tc.files {
				require.NoError(t, os.WriteFile(filepath.Join(dir, f), nil, 0o644))
			}
			got, err := InboxExtracts(inbox, june, memory.NewGoAllocator())
			if tc.err != "" {
				require.ErrorContains(t, err, tc.err)
				return
			}
			require.NoError(t, err)
			var sources []string
			for _, ex := range got {
				sources = append(sources, ex.Contract.Name)
				require.Equal(t, "2025-06/"+filepath.Base(ex.Source.Name()), ex.Source.Name())
			}
			require.Equal(t, tc.sources, sources)
		})
	}
	_, err := InboxExtracts(t.TempDir(), june, memory.NewGoAllocator())
	require.ErrorContains(t, err, "no folder")
}

// TestConfiguredEncoding: an encoding configured for a source is handed to
// its CSV reader (csvfile's tests show a forced encoding skips detection),
// and an unknown encoding is an error naming the source.
func TestConfiguredEncoding(t *testing.T) {
	inbox := t.TempDir()
	dir := filepath.Join(inbox, "2025-06")
	require.NoError(t, os.MkdirAll(dir, 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "pension.csv"), []byte("x"), 0o644))
	june := values.NewMonth(2025, 6)
	_, err := Deliveries{Inbox: inbox, Encodings: map[string]string{"pension": "gb18030"}}.Extracts(june, memory.NewGoAllocator())
	require.NoError(t, err)
	_, err = Deliveries{Inbox: inbox, Encodings: map[string]string{"pension": "latin1"}}.Extracts(june, memory.NewGoAllocator())
	require.ErrorContains(t, err, `config encodings[pension]: validating csvfile config: encoding "latin1" is not one of`)
}
