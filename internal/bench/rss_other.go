//go:build !unix

package main

import "os"

// maxRSSKiB is unknown where the system does not report it.
func maxRSSKiB(*os.ProcessState) int64 { return 0 }
