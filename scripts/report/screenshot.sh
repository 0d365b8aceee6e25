#!/usr/bin/env bash
# Renders report.html in headless Chromium, saves a screenshot, and checks that the page rendered and that
# nothing was fetched from the network.
#
#   scripts/report/screenshot.sh [REPORT_HTML] [SCREENSHOT_PNG]     (defaults: out/report.html, out/report.png)
#
# Needs /usr/bin/chromium (Debian package "chromium"; or set CHROMIUM) and python3. Installs nothing: without
# Chromium it says so and exits 3 (the JUnit test that calls it then skips). Exit 0: rendered, no request;
# 1: a check failed; 2: bad arguments.
#
# How "no request" is checked: Chromium runs with its background services off and with a proxy that is a local
# listener of ours; the page is loaded from file://, so every http(s)/ws request the page attempts has to ask that
# listener, which records the host it wanted. Chromium itself still contacts a few Google services (update,
# accounts) whatever the flags, so the same command is first run on an empty page: the hosts of that control run
# are the browser's own, and any other host requested while rendering the report fails the check. The page's own
# Content-Security-Policy also forbids every fetch; this check does not rely on it.
set -euo pipefail

html=${1:-out/report.html}
png=${2:-out/report.png}
width=${SCREENSHOT_WIDTH:-1280}
height=${SCREENSHOT_HEIGHT:-4000}
chromium=${CHROMIUM:-/usr/bin/chromium}

if [ ! -f "$html" ]; then
    echo "screenshot: $html: no such file (run ./posenc report -o out/ first)" >&2
    exit 2
fi
if [ ! -x "$chromium" ]; then
    echo "screenshot: $chromium not found; install Chromium (Debian: apt-get install chromium) or set CHROMIUM" >&2
    exit 3
fi
command -v python3 >/dev/null || { echo "screenshot: python3 not found" >&2; exit 3; }

work=$(mktemp -d)
listener_pid=""
trap '[ -n "$listener_pid" ] && kill "$listener_pid" 2>/dev/null; rm -rf "$work"' EXIT
mkdir -p "$(dirname "$png")"

# The listener: accepts connections on a free loopback port and appends the host each one asked for to a file.
python3 - "$work/port" "$work/hosts" <<'PY' &
import socket, sys
port_file, hosts_file = sys.argv[1], sys.argv[2]
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(64)
open(port_file, "w").write(str(s.getsockname()[1]))
while True:
    c, _ = s.accept(); c.settimeout(2)
    try:
        words = c.recv(4096).split(b"\r\n")[0].decode("latin-1").split()
        target = words[1] if len(words) > 1 else "?"
        host = target.split("://", 1)[-1].split("/", 1)[0].rsplit(":", 1)[0] if "://" in target else target.rsplit(":", 1)[0]
    except OSError:
        host = "?"
    c.close()
    with open(hosts_file, "a") as f:
        f.write(host + "\n")
PY
listener_pid=$!
for _ in $(seq 50); do [ -s "$work/port" ] && break; sleep 0.1; done
port=$(cat "$work/port")

render() { # URL SCREENSHOT: one headless run through the recording proxy
    "$chromium" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --disable-default-apps --disable-extensions --metrics-recording-only --no-pings \
        --disable-domain-reliability --disable-client-side-phishing-detection --disable-breakpad \
        --user-data-dir="$(mktemp -d "$work/profile.XXXX")" \
        --proxy-server="http://127.0.0.1:$port" --proxy-bypass-list="<-loopback>" \
        --hide-scrollbars --window-size="$width,$height" --virtual-time-budget=5000 \
        --screenshot="$2" "$1" >>"$work/chromium.log" 2>&1 || {
            echo "screenshot: chromium failed; its log:" >&2; tail -n 20 "$work/chromium.log" >&2; exit 1; }
}

printf '<!DOCTYPE html><title>control</title><p>control</p>\n' >"$work/control.html"
render "file://$work/control.html" "$work/control.png"
sleep 1
sort -u "$work/hosts" 2>/dev/null >"$work/browser-hosts" || true
: >"$work/hosts"
render "file://$(cd "$(dirname "$html")" && pwd)/$(basename "$html")" "$work/shot.png"
sleep 1
page_hosts=$(sort -u "$work/hosts" | comm -23 - "$work/browser-hosts" | paste -sd, -)

cp "$work/shot.png" "$png"

# Non-blank: decode the PNG (stdlib only) and count distinct colours and non-white pixels.
read -r colours nonwhite <<<"$(python3 - "$png" <<'PY'
import struct, sys, zlib
data = open(sys.argv[1], "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
pos, idat, w, h, ctype = 8, b"", 0, 0, 0
while pos < len(data):
    n, kind = struct.unpack(">I4s", data[pos:pos + 8]); body = data[pos + 8:pos + 8 + n]; pos += 12 + n
    if kind == b"IHDR": w, h, depth, ctype = struct.unpack(">IIBB", body[:10])
    elif kind == b"IDAT": idat += body
bpp = {2: 3, 6: 4}[ctype]
raw = zlib.decompress(idat); stride = w * bpp; prev = bytearray(stride); colours = set(); nonwhite = 0
for y in range(h):
    f = raw[y * (stride + 1)]; line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
    for i in range(stride):
        a = line[i - bpp] if i >= bpp else 0; b = prev[i]; c = prev[i - bpp] if i >= bpp else 0
        if f == 1: line[i] = (line[i] + a) & 255
        elif f == 2: line[i] = (line[i] + b) & 255
        elif f == 3: line[i] = (line[i] + (a + b) // 2) & 255
        elif f == 4:
            p = a + b - c; pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    if y % 4 == 0:
        for x in range(0, w, 4):
            px = bytes(line[x * bpp:x * bpp + 3]); colours.add(px); nonwhite += px != b"\xff\xff\xff"
    prev = line
print(len(colours), nonwhite * 16 / (w * h))
PY
)"

status=0
echo "screenshot: $png (${width}x${height}): $colours distinct colours, $(python3 -c "print(round($nonwhite*100, 1))")% non-white;" \
    "hosts requested by the page: ${page_hosts:-none} (the browser's own, also seen on an empty page: $(paste -sd, - <"$work/browser-hosts" | sed 's/^$/none/'))"
if [ "$colours" -lt 16 ]; then
    echo "screenshot: the page looks blank ($colours colours)" >&2; status=1
fi
if [ -n "$page_hosts" ]; then
    echo "screenshot: the page attempted network requests to: $page_hosts" >&2; status=1
fi
exit $status
