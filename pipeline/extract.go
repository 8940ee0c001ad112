package pipeline

import "zengshou/schemas"

// Extract pairs a delivered source with its contract.
type Extract struct {
	// Contract is the logical source the extract delivers.
	Contract schemas.Source
	// Source reads it.
	Source Source
}
