package main

import (
	"math"
	"testing"
)

// TestLogistic fits data drawn from a known model and finds its weights
// back: the fitter is what the shipped weights come from.
func TestLogistic(t *testing.T) {
	t.Parallel()
	want := []float64{-1, 2, -0.5}
	var xs [][]float64
	var ys, ws []float64
	// A deterministic grid over the two features, each point labelled
	// with its true probability (as a fractional label, which logistic
	// regression fits exactly).
	for a := -2.0; a <= 2; a += 0.25 {
		for b := -2.0; b <= 2; b += 0.25 {
			x := []float64{1, a, b}
			xs = append(xs, x)
			ys = append(ys, sigmoid(dot(want, x)))
			ws = append(ws, 1)
		}
	}
	got := logistic(xs, ys, ws, 0)
	for i := range want {
		if math.Abs(got[i]-want[i]) > 1e-3 {
			t.Errorf("weights = %v, want %v", got, want)
			break
		}
	}
}

func TestSolve(t *testing.T) {
	t.Parallel()
	a := [][]float64{{0, 2, 1}, {1, 1, 0}, {3, 0, 1}}
	b := []float64{5, 3, 6}
	x := solve(a, b)
	for i, row := range a {
		if math.Abs(dot(row, x)-b[i]) > 1e-9 {
			t.Errorf("solve: A·x = %v at row %d, want %v (x = %v)", dot(row, x), i, b[i], x)
		}
	}
}
