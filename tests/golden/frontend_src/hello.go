// Package main says hello.
package main

import "fmt"

/* a block comment
   on two lines */
func main() {
	x := 1 << 70 >> 68 // an untyped constant shifted back into int range
	fmt.Println("hello", x)
}
