#!/usr/bin/env bash
# Container health check that needs no curl or wget in the image (bash's /dev/tcp only).
#
#   healthcheck.sh http PORT [PATH]   healthy on an HTTP 200 from 127.0.0.1:PORT PATH (default /health)
#   healthcheck.sh tcp PORT           healthy when 127.0.0.1:PORT accepts a connection
set -euo pipefail
kind="${1:?usage: healthcheck.sh http|tcp PORT [PATH]}"
port="${2:?usage: healthcheck.sh http|tcp PORT [PATH]}"
exec 3<>"/dev/tcp/127.0.0.1/$port"
case "$kind" in
  tcp) exit 0 ;;
  http)
    printf 'GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' "${3:-/health}" >&3
    IFS= read -r -t 3 status <&3
    [[ "$status" =~ ^HTTP/1\.[01]\ 200 ]] || { echo "unhealthy: ${status%$'\r'}" >&2; exit 1; }
    ;;
  *) echo "healthcheck.sh: unknown check $kind" >&2; exit 2 ;;
esac
