package xlsxfile

import "fmt"

// DefaultBatchRows is the number of rows per emitted batch when none is set.
const DefaultBatchRows = 8192

// DefaultUnzipXMLSizeLimit is the size above which a worksheet or the shared
// strings are unpacked to a temporary file rather than held in memory.
const DefaultUnzipXMLSizeLimit = 4 << 20

// Config configures the reading of one workbook.
type Config struct {
	// Path is the workbook: <inbox>/<YYYY-MM>/<source>.xlsx.
	Path string `yaml:"path"`
	// Sheet names the sheet to read. Empty means the first visible sheet,
	// the one Excel opens the workbook on.
	Sheet string `yaml:"sheet"`
	// BatchRows is the number of rows per emitted Arrow batch.
	BatchRows int `yaml:"batch_rows"`
	// UnzipXMLSizeLimit bounds, in bytes, the worksheet XML held in memory;
	// a larger sheet is unpacked to a temporary file and streamed from it.
	UnzipXMLSizeLimit int64 `yaml:"unzip_xml_size_limit"`
}

// DefaultConfig returns the configuration used when nothing is set: the first
// visible sheet, 8192 rows per batch, and no path (the caller names the file).
func DefaultConfig() Config {
	return Config{BatchRows: DefaultBatchRows, UnzipXMLSizeLimit: DefaultUnzipXMLSizeLimit}
}

// Validate checks the configuration without touching the file system.
func (c Config) Validate() error {
	if c.Path == "" {
		return fmt.Errorf("validating xlsxfile config: path is empty")
	}
	if c.BatchRows <= 0 {
		return fmt.Errorf("validating xlsxfile config: batch_rows %d is not positive", c.BatchRows)
	}
	if c.UnzipXMLSizeLimit <= 0 {
		return fmt.Errorf("validating xlsxfile config: unzip_xml_size_limit %d is not positive", c.UnzipXMLSizeLimit)
	}
	return nil
}
