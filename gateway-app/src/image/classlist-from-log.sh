#!/usr/bin/env bash
# Turns JVM class-load logs (-Xlog:class+load=info:file=LOG) into jlink's --order-resources class list
# (gateway-app/src/image/classlist): the image's classes in the order the first log loaded them, then the
# ones only later logs loaded. Spun classes (lambdas, LambdaForms) are not in the image and are skipped.
# usage: classlist-from-log.sh LOG... > gateway-app/src/image/classlist
set -euo pipefail
sed -n 's/^.*\] \([^ ]*\) source: jrt:\/.*$/\1/p' "$@" | tr . / | awk '!seen[$0]++'
