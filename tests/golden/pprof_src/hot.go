package main

import (
	"fmt"
	"os"
	"strconv"
)

// steps counts how many Collatz steps n takes to reach 1.
func steps(n int) int {
	count := 0
	for n != 1 {
		if n%2 == 0 {
			n /= 2
		} else {
			n = 3*n + 1
		}
		count++
	}
	return count
}

func main() {
	limit := 300000
	if len(os.Args) > 1 {
		limit, _ = strconv.Atoi(os.Args[1])
	}
	best, arg := 0, 0
	for i := 1; i < limit; i++ {
		if s := steps(i); s > best {
			best, arg = s, i
		}
	}
	fmt.Println(arg, best)
}
