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
# How "no request" is checked: Chromium writes its network log (--log-net-log), which records every URL request
# with its initiator. Requests the browser makes for itself (Chromium still contacts a few Google services, update
# and accounts, whatever the flags) have no origin as initiator; anything the page asks for (an image, a font, a
# stylesheet, a script, a fetch) is initiated by the page. Any page-initiated request fails the check. Chromium is
# also given a proxy on a closed loopback port, so no request of either kind leaves the machine. The page's own
# Content-Security-Policy forbids every fetch too; this check does not rely on it.
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
trap 'rm -rf "$work"' EXIT
mkdir -p "$(dirname "$png")"

url="file://$(cd "$(dirname "$html")" && pwd)/$(basename "$html")"
"$chromium" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --disable-default-apps --disable-extensions --metrics-recording-only --no-pings \
    --disable-domain-reliability --disable-client-side-phishing-detection --disable-breakpad \
    --user-data-dir="$work/profile" --proxy-server="http://127.0.0.1:9" --proxy-bypass-list="<-loopback>" \
    --log-net-log="$work/netlog.json" \
    --hide-scrollbars --window-size="$width,$height" --virtual-time-budget=5000 \
    --screenshot="$work/shot.png" "$url" >"$work/chromium.log" 2>&1 || {
        echo "screenshot: chromium failed; its log:" >&2; tail -n 20 "$work/chromium.log" >&2; exit 1; }
cp "$work/shot.png" "$png"

# Requests in the network log: the page's (initiator is the page's origin, "null" for file://) and the browser's own.
read -r page_requests browser_requests <<<"$(python3 - "$work/netlog.json" <<'PY'
import json, sys
log = json.load(open(sys.argv[1]))
names = {v: k for k, v in log["constants"]["logEventTypes"].items()}
page, browser = set(), set()
for e in log["events"]:
    p = e.get("params") or {}
    if names.get(e["type"]) == "URL_REQUEST_START_JOB" and "url" in p:
        (browser if p.get("initiator") == "not an origin" else page).add(p["url"].split("?")[0])
print(",".join(sorted(page)) or "-", len(browser))
PY
)"
[ "$page_requests" = "-" ] && page_requests=""

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
    "requests by the page: ${page_requests:-none} (the browser's own, not sent: $browser_requests)"
if [ "$colours" -lt 16 ] || python3 -c "import sys; sys.exit(0 if $nonwhite < 0.01 else 1)"; then
    echo "screenshot: the page looks blank ($colours colours, under 1% of the pixels not white)" >&2; status=1
fi
if [ -n "$page_requests" ]; then
    echo "screenshot: the page attempted network requests: $page_requests" >&2; status=1
fi
exit $status
