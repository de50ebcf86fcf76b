#!/usr/bin/env bash
# Fuzzes every parser that reads remote input for longer than CI does:
#   bench/fuzz.sh [MINUTES_PER_TARGET=10]
# Jazzer's JUnit runs last 30 s each (the @FuzzTest maxDuration); each run resumes from the corpus
# the previous ones grew (MODULE/.cifuzz-corpus, not committed), so rounds add up to one long run.
# A finding stops the script; Jazzer keeps the crashing input under src/test/resources, where it
# becomes a regression case of `mvn verify`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
minutes="${1:-10}"
rounds=$(( (minutes * 60 + 29) / 30 ))
targets=(
  "bencode BencodeDecoderFuzzTest#decoderOnlyEverThrowsBencodeException"
  "metainfo MetainfoFuzzTest#parserOnlyEverThrowsMetainfoException"
  "metainfo MetainfoFuzzTest#magnetParserOnlyEverThrowsMetainfoException"
  "wire ExtensionMessagesFuzzTest#extensionParsersOnlyEverThrowPeerProtocolException"
  "wire MseHandshakeFuzzTest#theHandshakeOnlyEverThrowsPeerProtocolException"
  "wire UtpFuzzTest#datagramsOnlyEverCostTheirConnection"
  "dht KrpcFuzzTest#krpcParsingOnlyEverThrowsKrpcException"
  "tracker TrackerAnswersFuzzTest#trackerParsersOnlyEverThrowTrackerException"
  "tracker-server QueryStringFuzzTest#queryStringOnlyEverThrowsBadRequest"
  "tracker-server HttpRequestDecoderFuzzTest#theReaderYieldsRequestsOrOneRefusalAndTheParserOnlyRefuses"
  "engine WebSeedResponseFuzzTest#anyServerAnswerGivesTheRangeOrAWebSeedError"
  "daemon RpcFuzzTest#everyBodyGetsAJsonAnswer"
)
mvn -q -B -DskipTests install
for t in "${targets[@]}"; do
  read -r module test <<< "$t"
  for ((i = 1; i <= rounds; i++)); do
    echo "fuzzing $test, round $i of $rounds"
    log="$module/target/fuzz.log"
    if ! JAZZER_FUZZ=1 mvn -q -B -o -pl "$module" test -Dtest="$test" > "$log" 2>&1; then
      grep -E "FuzzTestFinding|ERROR|Exception" "$log" | head -20 >&2
      echo "finding in $test: the whole output is in $log" >&2
      exit 1
    fi
    grep -E "Done [0-9]+ runs" "$log" || true
  done
done
