package main

import (
	"fmt"
	"io"
)

func printTable(w io.Writer, rows []result) {
	fmt.Fprintln(w, "| set | paragraphs | system | R@1 | R@5 | R@20 | MRR | build s | para/s | index MB | p50 ms | p95 ms | p99 ms | peak MB |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
	for _, r := range rows {
		fmt.Fprintf(w, "| %s | %d | %s | %.3f | %.3f | %.3f | %.3f | %.1f | %.0f | %.0f | %.2f | %.2f | %.2f | %.0f |\n",
			r.Set, r.Paragraphs, r.System, r.R1, r.R5, r.R20, r.MRR, r.BuildSec, r.Rate, r.IndexMB, r.P50, r.P95, r.P99, r.PeakMB)
	}
}
