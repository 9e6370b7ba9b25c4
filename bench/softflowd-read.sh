#!/usr/bin/env bash
# Runs `softflowd -r FILE` to completion for bench/run-flows.sh: softflowd-read.sh FILE CTL_SOCKET [options...]
# softflowd 1.1.0 sometimes blocks in accept() on its control socket as it starts reading a file (its poll
# reports the socket readable with no client); a client that connects and leaves at once unblocks it. This
# wrapper does that whenever softflowd sits in accept (syscall 43), and nothing else.
set -euo pipefail
file="$1"; ctl="$2"; shift 2
rm -f "$ctl" "$ctl.pid"
softflowd -r "$file" -d -c "$ctl" -p "$ctl.pid" "$@" &
pid=$!
while kill -0 "$pid" 2>/dev/null; do
  if [ "$(cut -d' ' -f1 "/proc/$pid/syscall" 2>/dev/null)" = 43 ]; then
    python3 -c "import socket,sys; s=socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); s.close()" "$ctl" \
      2>/dev/null || true
  fi
  sleep 0.05
done
wait "$pid"
