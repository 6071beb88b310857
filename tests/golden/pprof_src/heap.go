// A program that allocates in four ways and writes a heap profile (every allocation sampled) to os.Args[1].
package main

import (
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
	"strings"
)

func words(n int) []string {
	var out []string
	for i := 0; i < n; i++ {
		out = append(out, fmt.Sprintf("word%d", i%1000))
	}
	return out
}

func count(ws []string) map[string]int {
	m := map[string]int{}
	for _, w := range ws {
		m[w]++
	}
	return m
}

func concat(ws []string) string {
	s := ""
	for _, w := range ws {
		s += w
	}
	return s
}

func build(ws []string) string {
	var b strings.Builder
	for _, w := range ws {
		b.WriteString(w)
	}
	return b.String()
}

func main() {
	runtime.MemProfileRate = 1
	ws := words(20000)
	m := count(ws)
	s := concat(ws[:2000])
	t := build(ws)
	fmt.Println(len(m), len(s), len(t))
	runtime.GC()
	f, err := os.Create(os.Args[1])
	if err != nil {
		panic(err)
	}
	if err := pprof.WriteHeapProfile(f); err != nil {
		panic(err)
	}
	f.Close()
}
