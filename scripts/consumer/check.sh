#!/usr/bin/env bash
# Proves that posenc-core alone can be consumed from a local install, as an engine author would: installs
# posenc-core into a separate local repository (default /tmp/m2-consumer, never ~/.m2), creates a separate Maven
# project in a temporary folder that depends on dev.posenc:posenc-core:VERSION, puts the README's quick start in
# its main method, compiles it with Maven and runs it on a bundled Llama 3.1 config.
# Needs network access to Maven Central on the first run (plugins for the separate repository).
# Usage: scripts/consumer/check.sh [LOCAL_REPOSITORY]
set -euo pipefail

root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)
. "$root/.mvn/select-jdk.sh" || exit 1
repo=$(readlink -f "${1:-/tmp/m2-consumer}")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

version=$(sed -n 's|^  <version>\(.*\)</version>|\1|p' "$root/pom.xml" | head -n 1)
echo "installing posenc-core $version into $repo"
(cd "$root" && ./mvnw -B -q -pl posenc-core -Dmaven.test.skip=true -Dmaven.repo.local="$repo" install)

installed="$repo/dev/posenc/posenc-core/$version"
for suffix in .pom .jar -sources.jar -javadoc.jar; do
    [ -f "$installed/posenc-core-$version$suffix" ] || { echo "missing: posenc-core-$version$suffix" >&2; exit 1; }
done
if grep -q '<parent>' "$installed/posenc-core-$version.pom"; then
    echo "the installed posenc-core POM still names a parent" >&2
    exit 1
fi

mkdir -p "$work/src/main/java" "$work/Llama-3.1-8B"
cp "$root/posenc-cli/src/main/resources/dev/posenc/cli/examples/llama-3.1-8b.json" "$work/Llama-3.1-8B/config.json"
cat > "$work/pom.xml" <<EOF
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>example</groupId>
  <artifactId>engine</artifactId>
  <version>1</version>
  <properties>
    <maven.compiler.release>25</maven.compiler.release>
    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
  </properties>
  <dependencies>
    <dependency>
      <groupId>dev.posenc</groupId>
      <artifactId>posenc-core</artifactId>
      <version>$version</version>
    </dependency>
  </dependencies>
</project>
EOF
# The README's first java block (the library quick start) is the body of main.
quickstart=$(awk '/^```java$/ {inside = 1; next} inside && /^```$/ {exit} inside {print}' "$root/README.md")
{
    echo 'import dev.posenc.config.*;'
    echo 'import dev.posenc.querykey.*;'
    echo 'import java.nio.file.Path;'
    echo 'public class QuickStart {'
    echo '    public static void main(String[] args) {'
    printf '%s\n' "$quickstart"
    echo '    }'
    echo '}'
} > "$work/src/main/java/QuickStart.java"

(cd "$work" && "$root/mvnw" -B -q -Dmaven.repo.local="$repo" package)
output=$(cd "$work" && "$JAVA_HOME/bin/java" -cp "target/classes:$installed/posenc-core-$version.jar" QuickStart)
echo "$output"
expected='64 inv_freq values, attention_scaling 1.0, half layout'
[ "$output" = "$expected" ] || { echo "expected: $expected" >&2; exit 1; }
echo "ok: a separate project compiled and ran the README's quick start against the installed posenc-core"
