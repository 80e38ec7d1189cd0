"""Lambda's Python runtime in miniature: one worker process, one function, one invocation at a time.

The sandbox runs it as `python -I -S -u bootstrap.py <requests fd> <responses fd> <sys.path JSON>` with cwd =
the function's extracted zip. Standalone on purpose: under -I -S nothing of the sandbox is importable, only
the function's code, its layers, the standard library and the runtime's libraries (boto3 and its
dependencies), as on Lambda (python_runtime.py). It imports the handler once (the
cold start), then answers invoke frames from the private pipe; the function's stdout/stderr stay its own.

Or as `python -I -S -u bootstrap.py template <socket fd> <sys.path JSON>`: the template (fork server, see
template.py), one small single-threaded process per interpreter that has imported the runtime's libraries
and forks a new execution environment on each request; the forked child takes the function's
environment, cwd and sys.path, then goes on exactly as the first form does from main().
Shapes follow AWS's runtime interface client (awslambdaric: bootstrap.py, lambda_runtime_marshaller.py,
lambda_context.py).
"""

import array
import decimal
import gc
import importlib
import json
import logging
import os
import select
import signal
import socket
import sys
import threading
import time
import traceback

# Frame kinds of the private pipe (kind byte, 4-byte big-endian length, 4-byte big-endian peak resident
# memory in kB, body); same table in worker.py. The worker states its own peak memory (/proc VmHWM) in every
# answer, for the REPORT line's Max Memory Used, so the sandbox reads no /proc file per invocation.
# An INVOKE frame's body is the request's JSON fields, a newline, then the event's JSON as sent.
INVOKE, READY, INIT_ERROR, RESULT, ERROR = b"V", b"I", b"F", b"R", b"E"
HEADER_BYTES = 9
END_OF_OUTPUT = "\x1e{}\x1e\n"  # tells the sandbox every line of an invocation has been written

_request_id = ""


class FaultException(Exception):
    """A runtime-detected failure, reported with its Runtime.* type (awslambdaric lambda_runtime_exception.py)."""

    def __init__(self, error_type, message, trace=None):
        super().__init__(message)
        self.error_type, self.message, self.trace = error_type, message, trace


class LambdaContext:
    """The `context` argument, as awslambdaric's LambdaContext builds it."""

    def __init__(self, request_id, invoked_function_arn, deadline_ms):
        self.aws_request_id = request_id
        self.invoked_function_arn = invoked_function_arn
        self.function_name = os.environ.get("AWS_LAMBDA_FUNCTION_NAME")
        self.function_version = os.environ.get("AWS_LAMBDA_FUNCTION_VERSION")
        self.memory_limit_in_mb = os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE")
        self.log_group_name = os.environ.get("AWS_LAMBDA_LOG_GROUP_NAME")
        self.log_stream_name = os.environ.get("AWS_LAMBDA_LOG_STREAM_NAME")
        self.client_context = None
        self.identity = None
        self._deadline_ms = deadline_ms

    def get_remaining_time_in_millis(self):
        return max(self._deadline_ms - int(time.time() * 1000), 0)


# -- the private pipe ---------------------------------------------------------------------------------

def read_exact(fd, size):
    chunks = []
    while size:
        chunk = os.read(fd, size)
        if not chunk:
            return None
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


def read_frame(fd):
    """(kind, body, peak memory kB); (None, None, 0) at end of file. Reads the frame in one call when it
    has arrived whole (the usual case: frames are written in one call and fit the pipe's buffer)."""
    data = os.read(fd, 65536)
    if len(data) < HEADER_BYTES:
        rest = read_exact(fd, HEADER_BYTES - len(data)) if data else None
        if rest is None:
            return None, None, 0
        data += rest
    size = int.from_bytes(data[1:5], "big")
    body = data[HEADER_BYTES:]
    if len(body) < size:  # only one frame is ever in flight, so nothing follows the body
        rest = read_exact(fd, size - len(body))
        if rest is None:
            return None, None, 0
        body += rest
    return data[:1], body, int.from_bytes(data[5:9], "big")


def write_frame(fd, kind, body, memory_kb=0):
    data = kind + len(body).to_bytes(4, "big") + min(memory_kb, 0xFFFFFFFF).to_bytes(4, "big") + body
    while data:
        data = data[os.write(fd, data):]


_status_fd = None


def peak_memory_kb():
    """This process's peak resident memory in kB (Linux /proc/self/status VmHWM), 0 when unknown.

    Not getrusage's ru_maxrss: Linux carries the peak of the memory image replaced by exec into it, so a
    worker started from the sandbox would report the sandbox's size. One pread of a file kept open."""
    global _status_fd
    try:
        if _status_fd is None:
            _status_fd = os.open("/proc/self/status", os.O_RDONLY)
        status = os.pread(_status_fd, 8192, 0)
        start = status.index(b"VmHWM:") + 6
        return int(status[start:status.index(b"kB", start)])
    except (OSError, ValueError):
        return 0


def end_of_output(tag):
    sys.stdout.flush()
    sys.stderr.flush()
    os.write(1, END_OF_OUTPUT.format(tag).encode())


# -- handler, errors, marshalling ---------------------------------------------------------------------

def load_handler(handler):
    """Import the handler's module and find the function (awslambdaric bootstrap._get_handler)."""
    try:
        module_name, function_name = handler.rsplit(".", 1)
    except ValueError as exc:
        raise FaultException("Runtime.MalformedHandlerName", f"Bad handler '{handler}': {exc}") from None
    if module_name.split(".")[0] in sys.builtin_module_names:
        raise FaultException("Runtime.BuiltInModuleConflict",
                             f"Cannot use built-in module {module_name} as a handler module")
    try:
        module = importlib.import_module(module_name.replace("/", "."))
    except ImportError as exc:
        raise FaultException("Runtime.ImportModuleError", f"Unable to import module '{module_name}': {exc}") from None
    except SyntaxError as exc:
        trace = [f'  File "{exc.filename}" Line {exc.lineno}\n    {exc.text}']
        raise FaultException("Runtime.UserCodeSyntaxError",
                             f"Syntax error in module '{module_name}': {exc}", trace) from None
    try:
        return getattr(module, function_name)
    except AttributeError:
        raise FaultException("Runtime.HandlerNotFound",
                             f"Handler '{function_name}' missing on module '{module_name}'") from None


def make_error(message, error_type, stack_trace, request_id=""):
    return {"errorMessage": message or "", "errorType": error_type or "", "requestId": request_id,
            "stackTrace": stack_trace or []}


def error_from_exception(request_id=""):
    """The payload of an unhandled exception: the user's frames only, as traceback.format_list lines."""
    error_type, value, tb = sys.exc_info()
    frames = traceback.extract_tb(tb)
    while frames and frames[0].filename.endswith("/bootstrap.py"):
        frames = traceback.StackSummary.from_list(frames[1:])
    return make_error(str(value), error_type.__name__, traceback.format_list(frames), request_id)


def log_error(error):
    """Print an error the way the runtime does: `[ERROR] Type: message` and the stack."""
    lines = [f"[ERROR] {error['errorType']}: {error['errorMessage']}"]
    if error["stackTrace"]:
        lines.append("Traceback (most recent call last):")
        lines += [part for frame in error["stackTrace"] for part in frame.rstrip("\n").splitlines()]
    print("\n".join(lines))


def _json_default(obj):
    # The runtime's encoder writes Decimal as a plain number (boto3 returns DynamoDB numbers as Decimal).
    if isinstance(obj, decimal.Decimal):
        return int(obj) if obj == obj.to_integral_value() else float(obj)
    raise TypeError(f"Object of type {type(obj).__name__} is not JSON serializable")


def marshal(response):
    if isinstance(response, bytes):
        return response
    try:
        # ensure_ascii=False: the python3.12 runtime's encoder (lambda_runtime_marshaller.py)
        return json.dumps(response, ensure_ascii=False, default=_json_default).encode()
    except Exception as exc:
        raise FaultException("Runtime.MarshalError", f"Unable to marshal response: {exc}") from None


def handle(handler, request):
    """Run one invocation; return the frame to answer with."""
    global _request_id
    _request_id = request["id"]
    # The invocation's trace header, where botocore reads it (awslambdaric: update_xray_env_variable).
    if request.get("trace"):
        os.environ["_X_AMZN_TRACE_ID"] = request["trace"]
    else:
        os.environ.pop("_X_AMZN_TRACE_ID", None)
    try:
        context = LambdaContext(request["id"], request["arn"], request["deadline_ms"])
        return RESULT, marshal(handler(json.loads(request["event"]), context))
    except FaultException as exc:
        error = make_error(exc.message, exc.error_type, exc.trace, request["id"])
    except Exception:
        error = error_from_exception(request["id"])
    log_error(error)
    return ERROR, json.dumps(error).encode()

# -- process ------------------------------------------------------------------------------------------

class RequestIdFilter(logging.Filter):
    def filter(self, record):
        record.aws_request_id = _request_id
        return True


def setup_logging():
    """The root handler Lambda installs: its text format, UTC times, the request id on every record."""
    logging.Formatter.converter = time.gmtime
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(logging.Formatter(
        "[%(levelname)s]\t%(asctime)s.%(msecs)03dZ\t%(aws_request_id)s\t%(message)s", "%Y-%m-%dT%H:%M:%S"))
    handler.addFilter(RequestIdFilter())
    logging.getLogger().addHandler(handler)


def exit_with_sandbox(requests_fd):
    """Die with the sandbox even mid-invocation (the main thread notices a closed pipe only between
    invocations). On Linux: the requests pipe hangs up when its one writer, the sandbox, closes it or ends
    (not the parent's end: a forked environment's parent is the template, which may end first). Elsewhere
    (workers are only started there, never forked) pipes may not report a hang-up: the parent's end."""
    if sys.platform.startswith("linux"):
        hangup = select.poll()
        hangup.register(requests_fd, 0)  # no events asked for: poll reports only POLLHUP/POLLERR
        hangup.poll()
    else:
        parent = os.getppid()
        while os.getppid() == parent:
            time.sleep(0.5)
    os._exit(1)


def main():
    requests_fd, responses_fd = int(sys.argv[1]), int(sys.argv[2])
    threading.Thread(target=exit_with_sandbox, args=(requests_fd,), daemon=True).start()
    path = json.loads(sys.argv[3])
    sys.path[:] = path["before"] + [p for p in sys.path if p] + path["after"]
    setup_logging()
    try:
        handler = load_handler(os.environ["_HANDLER"])
    except FaultException as exc:
        error = make_error(exc.message, exc.error_type, exc.trace)
    except Exception:
        error = error_from_exception()
    else:
        error = None
    if error:
        log_error(error)
    end_of_output("init")
    if error:
        # An init error answers the invocation; the next one initialises afresh (a new worker).
        write_frame(responses_fd, INIT_ERROR, json.dumps(error).encode(), peak_memory_kb())
        return 1
    write_frame(responses_fd, READY, b"", peak_memory_kb())
    while True:
        kind, body, _ = read_frame(requests_fd)
        if kind is None:  # the sandbox closed the pipe: stop
            return 0
        fields, _, event = body.partition(b"\n")
        request = json.loads(fields)
        request["event"] = event
        answer, payload = handle(handler, request)
        end_of_output(request["id"])
        write_frame(responses_fd, answer, payload, peak_memory_kb())


# -- the template (fork server) ---------------------------------------------------------------------
# One request (a SOCK_SEQPACKET message): {"env", "cwd", "path"} in JSON with four fds: the environment's
# requests pipe (read end), responses pipe (write end), stdout/stderr pipe (write end) and exit pipe
# (write end, kept by the template). The answer: {"pid"} with a pidfd of the child (opened while it is
# unreaped, so it can never name another process), or {"error"}. The template writes each child's exit
# code (waitstatus_to_exitcode) to its exit pipe when it reaps it.

PRELOAD = ("boto3",)  # what AWS's Python runtime image carries besides the standard library
# The services whose botocore model the template reads ahead: DynamoDB, which the seed's functions call (the
# PreSignUp trigger's PutItem, the profile API's GetItem). Any other service's is read by its first client.
PRELOADED_MODELS = ("dynamodb",)


class _OncePaths(list):
    """The shared loader's search paths: boto3 appends its data folder to its Session's loader each time it
    makes a Session; one loader for every Session takes it once."""

    def append(self, path):
        if path not in self:
            super().append(path)


def share_botocore_data():
    """One botocore Loader for every Session with the default data path (no AWS_DATA_PATH), read here.

    A Loader caches what it reads for its own Session only, so each environment's first client read
    botocore's data files again: the list of services (a listdir and a stat of each of ~400 folders), the
    endpoints and partitions, the service's model, JSON parsed. That was ~50 ms of CPU in every cold start
    of a function with a module-level client, most of what 50 concurrent first sign-ins spent starting
    PreSignUp environments. Read once here, the forked environments inherit it. The files are botocore's
    own and read-only to it (a Loader already hands one parsed model to every client of its Session).
    Sessions stay each function's, with its credentials, region, endpoint and config: the one made here
    only reads the files, and is dropped."""
    import boto3.session  # noqa: PLC0415 (preloaded just before)
    import botocore.loaders  # noqa: PLC0415
    import botocore.session  # noqa: PLC0415

    shared = botocore.loaders.Loader(extra_search_paths=_OncePaths())
    create_loader = botocore.session.create_loader
    # Session._register_data_loader calls botocore.session.create_loader(<its data_path>) when first asked.
    botocore.session.create_loader = lambda search_path_string=None: (
        shared if search_path_string is None else create_loader(search_path_string))
    try:
        reader = boto3.session.Session(aws_access_key_id="preload", aws_secret_access_key="preload",
                                       region_name="us-east-1")
        for service in PRELOADED_MODELS:
            reader.client(service, endpoint_url="http://preload.invalid")
    except Exception:  # noqa: BLE001 (e.g. a malformed ~/.aws/config: each function's first client then
        pass  # reads what it needs itself, and meets that config as it would have)


class _Misses:
    """Last on sys.meta_path while preloading: the top-level names looked for and not found (botocore tries
    `awscrt`, urllib3 `brotli`...), which a function's own package could provide."""

    def __init__(self):
        self.names = set()

    def find_spec(self, name, path=None, target=None):
        self.names.add(name.partition(".")[0])
        return None


def preload(path):
    """Import the runtime's libraries; the top-level names the imports used or looked for."""
    sys.path[:] = path["before"] + [p for p in sys.path if p] + path["after"]
    misses = _Misses()
    sys.meta_path.append(misses)
    try:
        for name in PRELOAD:
            importlib.import_module(name)
        share_botocore_data()
    finally:
        sys.meta_path.remove(misses)
    gc.freeze()  # the children's collections leave the preloaded objects (and their pages) alone
    return sorted({name.partition(".")[0] for name in sys.modules} | misses.names)


def serve_template(control_fd, path):
    """Fork environments on request until the sandbox closes the socket (None), or, in a forked child, the
    argv that main() reads (the child returns from here and runs as a started worker would)."""
    control = socket.socket(fileno=control_fd)
    os.close(os.pidfd_open(os.getpid()))  # raises (and no hello is sent) where pidfds are refused, e.g. seccomp
    imported = preload(path)
    stdlib = [p for p in sys.path if p not in path["before"] + path["after"]]
    control.send(json.dumps({"modules": imported}).encode())
    wake_r, wake_w = os.pipe()
    os.set_blocking(wake_w, False)
    signal.set_wakeup_fd(wake_w)
    signal.signal(signal.SIGCHLD, lambda *_: None)  # a handler, so SIGCHLD reaches the wakeup fd
    exits = {}  # child pid -> its exit pipe
    # A request holds a function's variables (its secrets too): the template receives it into this one
    # buffer, never decodes it, and zeroes it after the fork, so no later environment (another function's)
    # inherits them; only the child decodes its own request.
    buffer = bytearray(1 << 20)
    while True:
        ready, _, _ = select.select([control, wake_r], [], [])
        if wake_r in ready:
            os.read(wake_r, 4096)
            reap(exits)
        if control not in ready:
            continue
        try:
            size, fds = receive(control, buffer)
        except OSError:
            size, fds = 0, []
        if not size:
            return None  # the sandbox is gone or stopping: the environments end with their pipes
        requests_fd, responses_fd, output_fd, exit_fd = fds
        try:
            pid = os.fork()
        except OSError as exc:
            buffer[:size] = bytes(size)
            for fd in fds:
                os.close(fd)
            control.send(json.dumps({"error": str(exc)}).encode())
            continue
        if pid == 0:
            control.detach()  # its fd is closed with the others; the object must not close that number later
            try:
                return become(json.loads(buffer[:size]), stdlib, requests_fd, responses_fd, output_fd)
            except BaseException:  # noqa: BLE001  never back into the template's loop
                traceback.print_exc()
                os._exit(1)
        buffer[:size] = bytes(size)
        for fd in (requests_fd, responses_fd, output_fd):
            os.close(fd)
        exits[pid] = exit_fd
        pidfd = os.pidfd_open(pid)
        socket.send_fds(control, [json.dumps({"pid": pid}).encode()], [pidfd])
        os.close(pidfd)


def receive(control, buffer):
    """socket.recv_fds (one message and its four fds) into `buffer`: (size, fds)."""
    fds = array.array("i")
    size, ancillary, _, _ = control.recvmsg_into([buffer], socket.CMSG_SPACE(4 * fds.itemsize))
    for level, kind, data in ancillary:
        if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
            fds.frombytes(data[:len(data) - len(data) % fds.itemsize])
    return size, list(fds)


def reap(exits):
    while exits:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        fd = exits.pop(pid, None)
        if fd is not None:
            try:
                os.write(fd, str(os.waitstatus_to_exitcode(status)).encode())
            except OSError:  # the sandbox no longer listens
                pass
            os.close(fd)


def become(request, stdlib, requests_fd, responses_fd, output_fd):
    """In the forked child: shed the template (signals, fds, session) and take on the function's
    environment, cwd and sys.path, as a worker started with them has them; then main()'s argv."""
    signal.set_wakeup_fd(-1)
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    os.setsid()  # as a started worker: Ctrl-C in the sandbox's terminal is the sandbox's to handle
    os.dup2(output_fd, 1)
    os.dup2(output_fd, 2)
    keep = {0, 1, 2, requests_fd, responses_fd}
    for fd in [int(name) for name in os.listdir("/proc/self/fd")]:
        if fd not in keep:
            try:
                os.close(fd)
            except OSError:  # the listing's own fd, already closed
                pass
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    time.tzset()  # the function's TZ, as the C library reads it at a process's start
    # multiprocessing (s3transfer imports it) draws the process's authkey when it is imported: each
    # environment gets its own, as a started interpreter does. (The str hash seed cannot change after a
    # start: it is the template's in every environment; README's known differences.)
    process = sys.modules.get("multiprocessing.process")
    if process is not None:
        process.current_process().authkey = os.urandom(32)
    sys.path[:] = stdlib  # main() puts the function's folders around it, as in a started worker
    return [sys.argv[0], str(requests_fd), str(responses_fd), json.dumps(request["path"])]


if __name__ == "__main__":
    if sys.argv[1] == "template":
        argv = serve_template(int(sys.argv[2]), json.loads(sys.argv[3]))
        if argv is None:
            sys.exit(0)
        sys.argv[:] = argv
    sys.exit(main())
