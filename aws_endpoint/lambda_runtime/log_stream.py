"""A worker's stdout and stderr: each line goes to the sandbox's output, prefixed by the function's
name, and is kept for the invocation's log (`X-Amz-Log-Result`)."""

from __future__ import annotations

import sys
import threading

from aws_endpoint.lambda_runtime.bootstrap import END_OF_OUTPUT

_print_lock = threading.Lock()
MARK = END_OF_OUTPUT[0]


def show(function_name: str, *lines: str) -> None:
    """Write some of a function's log lines to the sandbox's output, in one write."""
    text = "".join(f"[{function_name}] {line}\n" for line in lines)
    with _print_lock:
        sys.stdout.write(text)
        sys.stdout.flush()


class LogStream:
    """Reads one worker's output in a thread; `take(tag)` returns the lines written up to the worker's
    end-of-output mark for `tag` (or up to the worker's exit)."""

    def __init__(self, function_name: str, stream):
        self.function_name = function_name
        self._stream = stream
        self._lines: list[str] = []
        self._marks: set[str] = set()
        self._closed = False
        self._changed = threading.Condition()
        threading.Thread(target=self._pump, name=f"lambda-log-{function_name}", daemon=True).start()

    def _pump(self) -> None:
        for raw in self._stream:
            line = raw.decode(errors="replace").rstrip("\r\n")
            text, _, mark = line.partition(MARK)
            if text:
                show(self.function_name, text)
            with self._changed:
                if text:
                    self._lines.append(text)
                if mark:
                    self._marks.add(mark.rstrip(MARK))
                self._changed.notify_all()
        self._stream.close()
        with self._changed:
            self._closed = True
            self._changed.notify_all()

    def take(self, tag: str, timeout: float = 2.0) -> list[str]:
        """The lines since the last take, once the worker has marked `tag` done or exited."""
        with self._changed:
            self._changed.wait_for(lambda: tag in self._marks or self._closed, timeout)
            self._marks.discard(tag)
            lines, self._lines = self._lines, []
            return lines
