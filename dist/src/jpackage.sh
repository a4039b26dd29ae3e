#!/usr/bin/env bash
# Builds the installers with the JDK's jpackage, without the network: for the head office and for
# the branch office, an app image (the application with a Java runtime of its own) packed as a
# portable .tar.gz, and a Debian package made from that image, with a menu entry and an icon, the
# command on the PATH (/usr/bin) and the configuration directory /etc/salesync outside the
# installation (/opt/<package>).
#
# usage: jpackage.sh ROOT OUT VERSION JAVA_HOME   (run by dist/pom.xml in the package phase)
set -euo pipefail

root="$1" out="$2" version="$3" java_home="$4"
bin="$java_home/bin"
[[ -x "$bin/jpackage" ]] || bin="$(dirname "$(readlink -f "$(command -v jpackage)")")"
for tool in jlink jpackage; do
    [[ -x "$bin/$tool" ]] || { echo "dist: $tool not found in $bin (a full JDK 17 is needed)" >&2; exit 1; }
done
for tool in fakeroot dpkg-deb; do
    command -v "$tool" >/dev/null || { echo "dist: $tool is needed for the Debian packages (apt-get install $tool)" >&2; exit 1; }
done

# The modules the applications use (jdeps --print-module-deps over both jars, plus the TLS curves
# and the jar file system that Flyway reads its migrations through).
modules=java.base,java.desktop,java.sql,java.naming,java.management,java.logging,java.prefs,java.xml,java.security.sasl,java.security.jgss,jdk.crypto.ec,jdk.unsupported,jdk.zipfs,jdk.net

rm -rf "$out"
mkdir -p "$out/image" "$out/input"
echo "dist: a Java runtime for both applications"
"$bin/jlink" --add-modules "$modules" --strip-debug --no-header-files --no-man-pages --strip-native-commands \
    --output "$out/runtime"

# package  module             main class                             icon           what it is
apps=(
    "salesync-head-office|head-office-app|io.salesync.headoffice.HeadOfficeMain|head-office|salesync head office: every branch's sales live, and the consumer that applies them"
    "salesync-branch|branch-office-app|io.salesync.branch.BranchOfficeMain|branch-office|salesync branch office: the clerk's sales window, and the relay that sends every change to the head office"
)
for entry in "${apps[@]}"; do
    IFS='|' read -r name module main icon description <<<"$entry"
    jar="$root/$module/target/$module-all.jar"
    [[ -f "$jar" ]] || { echo "dist: $jar is missing; build it first (./mvnw -Pdist package)" >&2; exit 1; }
    input="$out/input/$name"
    mkdir -p "$input/examples"
    cp "$jar" "$input/"
    if [[ "$name" == salesync-head-office ]]; then
        cp "$root/config/head-office.properties" "$input/examples/head-office.properties.example"
        cp "$root/config/head-office-view.properties" "$input/examples/head-office-view.properties.example"
    else
        cp "$root/config/branch-bo1.properties" "$input/examples/branch-bo1.properties.example"
    fi
    echo "dist: $name $version app image"
    "$bin/jpackage" --type app-image --name "$name" --app-version "$version" --vendor salesync \
        --description "$description" --input "$input" --main-jar "$(basename "$jar")" --main-class "$main" \
        --arguments run --icon "$root/desktop/src/main/resources/io/salesync/desktop/icons/$icon.png" \
        --runtime-image "$out/runtime" --dest "$out/image"
    tar -czf "$out/$name-$version-linux-x64.tar.gz" -C "$out/image" "$name"
    echo "dist: $name $version Debian package"
    "$bin/jpackage" --type deb --app-image "$out/image/$name" --name "$name" --app-version "$version" --vendor salesync \
        --description "$description" --linux-shortcut --linux-menu-group Office --linux-app-category misc \
        --linux-deb-maintainer operators@salesync.invalid \
        --resource-dir "$root/dist/src/deb/$name" --dest "$out"
done
rm -rf "$out/input" "$out/runtime"
ls -l "$out"
