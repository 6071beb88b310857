package main

import (
	"fmt"
	"os"
)

type T struct{ n int }

func (t *T) Inc() { t.n++ }

func Max[E int | float64](a, b E) E {
	if a > b {
		return a
	}
	return b
}

//go:noinline
func idx(xs []int, i int) int { return xs[i] }

func main() {
	t := &T{}
	t.Inc()
	counter := func() func() int { n := 0; return func() int { n++; return n } }()
	fmt.Println(t.n, Max(3, 4), Max(2.5, 1.5), idx([]int{1, 2}, 1), counter())
	os.Stdout.Write([]byte("bye\n"))
}
