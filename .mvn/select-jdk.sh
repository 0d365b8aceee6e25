# Sourced by ./mvnw, ./posenc and .ci/run (POSIX sh): points JAVA_HOME at a JDK 25 or newer.
# Order: $JAVA_HOME if it is one, then the newest JDK >= 25 in the system's JVM folder (/usr/lib/jvm, or
# $POSENC_JVM_DIR). Prints one clear line and returns 1 when there is none.

posenc_jdk_feature() {
    # The feature release of the JDK at $1 ("25" for 25.0.3), read from its release file; empty if unknown.
    [ -x "$1/bin/java" ] || return 0
    if [ -r "$1/release" ]; then
        sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release"
    else
        "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = \([0-9]*\).*/\1/p'
    fi
}

posenc_select_jdk() {
    posenc_min=25
    if [ -n "${JAVA_HOME:-}" ]; then
        posenc_v=$(posenc_jdk_feature "$JAVA_HOME")
        if [ -n "$posenc_v" ] && [ "$posenc_v" -ge "$posenc_min" ]; then
            return 0
        fi
    fi
    posenc_best=""
    posenc_best_v=0
    for posenc_dir in "${POSENC_JVM_DIR:-/usr/lib/jvm}"/*; do
        [ -d "$posenc_dir" ] || continue
        posenc_v=$(posenc_jdk_feature "$posenc_dir")
        if [ -n "$posenc_v" ] && [ "$posenc_v" -ge "$posenc_min" ] && [ "$posenc_v" -gt "$posenc_best_v" ]; then
            posenc_best="$posenc_dir"
            posenc_best_v="$posenc_v"
        fi
    done
    if [ -z "$posenc_best" ]; then
        echo "posenc: no JDK $posenc_min or newer found (JAVA_HOME='${JAVA_HOME:-}', searched ${POSENC_JVM_DIR:-/usr/lib/jvm}); install one, e.g. Temurin 25, and set JAVA_HOME to it" >&2
        return 1
    fi
    JAVA_HOME="$posenc_best"
    export JAVA_HOME
}

posenc_select_jdk
