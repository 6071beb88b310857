"""Run a notebook's cells in a fresh, private kernel (what `gokit export` and `gokit check` execute with)."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from .._run import NOTEBOOK_SECONDS, Deadline
from ..errors import GokitError

if TYPE_CHECKING:
    from nbformat import NotebookNode


def kernel_config() -> Any:
    """nbclient config for a quiet, private kernel: IPC sockets in gokit's temp dir instead of TCP on localhost.

    Over TCP, ipykernel warns on stderr (which lands on the terminal of `gokit export` / `gokit check`) that
    "all communication ... is sent in plain text"; Unix sockets in a private directory have nothing to warn
    about. Their path prefix must be absolute: the kernel and the client run in different directories.
    """
    from traitlets.config import Config

    from .. import _tmp

    cfg = Config()
    cfg.KernelManager.transport = "ipc"
    cfg.KernelManager.ip = str(_tmp.mkdtemp("kernel-") / "k")
    return cfg


def run_cells(nb: "NotebookNode", cwd: Path, *, timeout: float | Deadline = NOTEBOOK_SECONDS, allow_errors: bool = False,
              kernel_name: str | None = None, store_widget_state: bool = True) -> "NotebookNode":
    """Run every cell of `nb` in a fresh kernel (in `cwd`), raising nbclient's own exceptions; returns `nb`.
    `timeout` is a deadline for the whole notebook: each cell gets what is left of it."""
    import shutil

    from nbclient import NotebookClient

    deadline = Deadline.of(timeout, NOTEBOOK_SECONDS, "the notebook")
    name = kernel_name or nb.metadata.get("kernelspec", {}).get("name") or "python3"
    cfg = kernel_config()
    # nbclient starts the kernel through jupyter_client (a library that owns the kernel's lifetime).
    client = NotebookClient(nb, timeout=max(1, int(deadline.left())), kernel_name=name, allow_errors=allow_errors,
                            store_widget_state=store_widget_state, resources={"metadata": {"path": str(cwd)}},
                            config=cfg, timeout_func=lambda cell: max(1, int(deadline.left())))
    try:
        client.execute()
    finally:
        shutil.rmtree(Path(cfg.KernelManager.ip).parent, ignore_errors=True)
    return nb


def execute(nb: "NotebookNode", cwd: Path, *, timeout: float = NOTEBOOK_SECONDS, allow_errors: bool = False,
            kernel_name: str | None = None) -> "NotebookNode":
    """Run every cell (top to bottom, like "Run All") in `cwd`, keeping the widget state; returns `nb`.
    `timeout` is a deadline for the whole notebook."""
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

    name = kernel_name or nb.metadata.get("kernelspec", {}).get("name") or "python3"
    try:
        run_cells(nb, cwd, timeout=timeout, allow_errors=allow_errors, kernel_name=name)
    except CellTimeoutError as e:
        raise GokitError(f"the notebook ran longer than {timeout:g} s; raise --timeout or fix the cell that was "
                         f"running:\n{e}") from None
    except CellExecutionError as e:
        first = str(e).strip().splitlines()
        raise GokitError("a cell raised an error while executing the notebook (export it anyway with "
                         "--allow-errors):\n" + "\n".join(first[-12:])) from None
    except DeadKernelError as e:
        raise GokitError(f"the kernel died while executing the notebook: {e}") from None
    except Exception as e:
        if type(e).__name__ == "NoSuchKernel":
            raise GokitError(f"no Jupyter kernel named {name!r}: install ipykernel (pip install ipykernel) or "
                             f"pass kernel_name=") from None
        raise
    return nb
