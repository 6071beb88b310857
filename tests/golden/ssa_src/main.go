package main

import "fmt"

type T struct{ x int }

func (t *T) M(n int) { t.x += n }

func add(a, b int) int { return a + b }

func sum(xs []int) int {
	s := 0
	for i := 0; i < len(xs); i++ {
		s += xs[i]
	}
	return s
}

func idx(xs []int, i int) int { return xs[i] }

func Max[E int | float64](a, b E) E {
	if a > b {
		return a
	}
	return b
}

func counter() func() int {
	n := 0
	return func() int { n++; return n }
}

func main() {
	t := &T{}
	t.M(3)
	fmt.Println(add(1, 2), sum([]int{1, 2, 3}), idx([]int{4}, 0), Max(1, 2), t.x)
}
