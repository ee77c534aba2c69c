#!/usr/bin/env bash
# Creates every Switchboard topic listed in topics.txt (beside this script) when missing, applies its
# configuration when present, and fails when an existing tenant-keyed topic has the wrong partition count.
# Runs in the apache/kafka image (Kubernetes Job `switchboard-topics`, compose service `topics`).
# Environment: KAFKA_BOOTSTRAP (required), TENANT_PARTITIONS (12), REPLICATION_FACTOR (3),
# MIN_INSYNC_REPLICAS (2), KAFKA_COMMAND_CONFIG (client properties file for TLS/SASL, optional),
# KAFKA_BIN (/opt/kafka/bin), TOPICS_SPEC (topics.txt beside this script).
set -euo pipefail
: "${KAFKA_BOOTSTRAP:?set KAFKA_BOOTSTRAP to host:port[,host:port]}"
tenant_partitions=${TENANT_PARTITIONS:-12}
replication=${REPLICATION_FACTOR:-3}
min_isr=${MIN_INSYNC_REPLICAS:-2}
bin=${KAFKA_BIN:-/opt/kafka/bin}
spec=${TOPICS_SPEC:-$(dirname "$0")/topics.txt}

client=(--bootstrap-server "$KAFKA_BOOTSTRAP")
if [ -n "${KAFKA_COMMAND_CONFIG:-}" ]; then client+=(--command-config "$KAFKA_COMMAND_CONFIG"); fi

while read -r topic partitions cleanup retention; do
  case "$topic" in '' | '#'*) continue ;; esac
  if [ "$partitions" = tenant ]; then partitions=$tenant_partitions; fi
  configs="cleanup.policy=$cleanup,min.insync.replicas=$min_isr"
  if [ "$retention" != - ]; then configs="$configs,retention.ms=$retention"; fi

  config_flags=()
  IFS=, read -ra pairs <<<"$configs"
  for pair in "${pairs[@]}"; do config_flags+=(--config "$pair"); done
  "$bin/kafka-topics.sh" "${client[@]}" --create --if-not-exists --topic "$topic" \
    --partitions "$partitions" --replication-factor "$replication" "${config_flags[@]}"
  # An existing topic keeps its data: bring its configuration up to date (retention changes roll out).
  "$bin/kafka-configs.sh" "${client[@]}" --alter --entity-type topics --entity-name "$topic" \
    --add-config "$configs"

  actual=$("$bin/kafka-topics.sh" "${client[@]}" --describe --topic "$topic" |
    sed -n 's/.*PartitionCount:[[:space:]]*\([0-9][0-9]*\).*/\1/p' | head -1)
  if [ "$actual" != "$partitions" ]; then
    echo "topic $topic has $actual partitions, expected $partitions: partition alignment is broken" >&2
    exit 1
  fi
  echo "topic $topic ok: $partitions partitions, $configs"
done <"$spec"
