"""The one instruction record every listing shares: the -S listing, go tool objdump and pprof -disasm add to it."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Instruction:
    """One machine instruction of a function: where it is (pc), where it came from (file:line), what it is."""

    function: str
    pc: int
    file: str
    line: int | None     # None for <unknown line number>
    op: str
    args: str
    bytes: str = ""      # the machine code, hex ("" when the listing prints none, or for a pseudo-instruction)

    @property
    def size(self) -> int:
        return len(self.bytes) // 2

    @property
    def text(self) -> str:
        return f"{self.op} {self.args}".strip()
