package jobs

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"zengshou/schemas"
)

// unreadableForms are file forms departments deliver that cannot be read,
// with what to do about each.
var unreadableForms = []struct{ ext, advice string }{
	{".xls", "an old binary Excel workbook: open it in Excel and save it as .xlsx (Excel 工作簿) or as CSV"},
	{".et", "a WPS spreadsheet: save it as .xlsx or as CSV"},
	{".zip", "an archive: unpack it and put the extract itself in the folder"},
	{".rar", "an archive: unpack it and put the extract itself in the folder"},
	{".7z", "an archive: unpack it and put the extract itself in the folder"},
	{".tsv", "tab-separated text: save it as comma-separated CSV (.csv)"},
	{".txt", "a text file: if it is the extract, save it as comma-separated CSV and name it .csv"},
	{".dbf", "a dBase table: export it as CSV"},
	{".json", "JSON: export the extract as CSV"},
	{".gz", "a compressed file that is not .csv.gz: compress the CSV itself (<source>.csv.gz)"},
}

// checkUnreadableForms rejects a file named after a source in a form that
// cannot be read (employment.xls, civil.zip, pension.txt): without this it
// would pass for a source not delivered.
func checkUnreadableForms(dir string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		name := e.Name()
		lower := strings.ToLower(name)
		for _, src := range schemas.Sources {
			rest, ok := strings.CutPrefix(lower, src.Name)
			if !ok || rest == "" || rest[0] != '.' {
				continue
			}
			if rest == ".csv" || rest == ".csv.gz" || rest == ".xlsx" {
				continue
			}
			advice := "a form zengshou cannot read: deliver it as <source>.csv, .csv.gz or .xlsx"
			for _, f := range unreadableForms {
				if strings.HasSuffix(rest, f.ext) {
					advice = f.advice
					break
				}
			}
			return fmt.Errorf("file %s names source %s but is %s", filepath.Join(dir, name), src.Name, advice)
		}
	}
	return nil
}
