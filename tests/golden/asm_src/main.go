package main


type T struct{ n int }

func (t *T) Inc() { t.n++ }

func add(a, b int) int { return a + b }

func idx(xs []int, i int) int { return xs[i] }

var table = [4]byte{1, 2, 3, 4}

func mk() func() int {
	n := 0
	return func() int { n++; return n }
}

func Max[E int | float64](a, b E) E {
	if a > b {
		return a
	}
	return b
}

var sink any

func main() {
	t := &T{}
	t.Inc()
	f := mk()
	sink = struct {
		F  uintptr
		X0 int
	}{}
	println(add(1, 2), idx([]int{1}, 0), f(), table[1], Max(3, 4), Max(1.5, 0.5))
}
