package main

import "fmt"

type Number interface{ ~int | ~float64 }

// Sum adds up any numbers.
func Sum[T Number](xs ...T) T {
	var s T
	for _, x := range xs {
		s += x
	}
	return s
}

type Counter struct{ n int }

func (c *Counter) Inc() { c.n++ }

func main() {
	var wrong int = "hello"
	c := &Counter{}
	next := func() int { c.Inc(); return c.n }
	fmt.Println(Sum(1, 2, 3), Sum(1.5, 2.5), next(), wrong)
}
