package csvfile

import (
	"fmt"
	"strings"
)

// The text encodings a CSV extract may be read with. They are the values of
// Config.Encoding and of pipeline.ExtractInfo.Encoding.
const (
	// EncodingUTF8 is UTF-8, with or without a byte-order mark.
	EncodingUTF8 = "utf-8"
	// EncodingGB18030 is GB18030, what Excel on Chinese Windows writes as
	// "CSV (逗号分隔)"; it is a superset of GBK and GB2312.
	EncodingGB18030 = "gb18030"
	// EncodingGBK is accepted as a setting for departments that call their
	// files GBK; such files are decoded as GB18030, which includes GBK.
	EncodingGBK = "gbk"
)

// DefaultBatchRows is the number of rows per emitted batch when none is set.
const DefaultBatchRows = 8192

// Config configures the reading of one extract file.
type Config struct {
	// Path is the file to read: <inbox>/<YYYY-MM>/<source>.csv, or .csv.gz
	// for a gzip-compressed extract.
	Path string `yaml:"path"`
	// Encoding forces the text encoding ("utf-8", "gb18030" or "gbk", any
	// case). Empty means detect it from the file, which is right for every
	// encoding seen in the wild; set it only when detection gets a file wrong.
	Encoding string `yaml:"encoding"`
	// BatchRows is the number of rows per emitted Arrow batch.
	BatchRows int `yaml:"batch_rows"`
}

// DefaultConfig returns the configuration used when nothing is set: encoding
// detected, 8192 rows per batch, and no path (the caller names the file).
func DefaultConfig() Config {
	return Config{BatchRows: DefaultBatchRows}
}

// Validate checks the configuration without touching the file system.
func (c Config) Validate() error {
	if c.Path == "" {
		return fmt.Errorf("validating csvfile config: path is empty")
	}
	if _, ok := normaliseEncoding(c.Encoding); !ok {
		return fmt.Errorf("validating csvfile config: encoding %q is not one of %q, %q, %q or empty (detect)",
			c.Encoding, EncodingUTF8, EncodingGB18030, EncodingGBK)
	}
	if c.BatchRows <= 0 {
		return fmt.Errorf("validating csvfile config: batch_rows %d is not positive", c.BatchRows)
	}
	return nil
}

// normaliseEncoding maps a configured encoding name to its canonical
// lower-case form; ok is false for a name the package does not support.
// Operators write "UTF-8" and "GBK" as often as the lower-case forms.
func normaliseEncoding(name string) (canonical string, ok bool) {
	switch n := strings.ToLower(strings.TrimSpace(name)); n {
	case "", EncodingUTF8, EncodingGB18030, EncodingGBK:
		return n, true
	default:
		return "", false
	}
}
