#!/usr/bin/env bash
# The README's five-minute walkthrough as a script: authorize, consent, token, accounts,
# transactions page 2, refresh, revoke, then 40101. Needs curl and jq, and a server running:
#   cargo run --release -- serve            (in another terminal)
#   bash scripts/walkthrough.sh [base-url]
# With MYDATA_ADMIN_TOKEN set (the server's admin token), it also drives the testbed controls:
# a forced rsp_code, the journal's grade of this script's calls, and the virtual clock.
set -euo pipefail
BASE=${1:-http://127.0.0.1:8080}
ORG=TBBANK0001 CLIENT=tbdemoapp SECRET=tbdemosecret0001 REDIRECT=http://localhost:8080/callback
tran() { printf 'TBAPP00001M%014d' "$((RANDOM * 32768 + RANDOM))"; }   # x-api-tran-id, §1.4.1
curl -sf "$BASE/healthz" >/dev/null || { echo "no server at $BASE: start one with: cargo run --release -- serve" >&2; exit 1; }
CI=$(jq -r '.[] | select(.id=="C002") | .ci' "$(dirname "$0")/../fixtures/customers.json")   # the customer's CI

echo "1. 개별인증-001: the operator server asks for a code; the bank answers with its login page"
LOGIN=$(curl -s -o /dev/null -w '%{redirect_url}' -G "$BASE/oauth/2.0/authorize" \
  -H "x-api-tran-id: $(tran)" -H "x-user-ci: $CI" \
  --data-urlencode org_code=$ORG --data-urlencode response_type=code --data-urlencode client_id=$CLIENT \
  --data-urlencode redirect_uri=$REDIRECT --data-urlencode app_scheme=tbdemo://mydata --data-urlencode state=abc123)
echo "   open in a browser: $LOGIN"
REQUEST_ID=${LOGIN##*request_id=}

echo "2. the customer consents (testbed convenience: post the consent form directly)"
CALLBACK=$(curl -s -o /dev/null -w '%{redirect_url}' -X POST "$BASE/oauth/2.0/consent" \
  -d request_id="$REQUEST_ID" -d customer_id=C002 -d asset=110573920164 -d asset=210573920175 \
  -d is_scheduled=true -d action=consent)
echo "   redirected to: $CALLBACK"
CODE=$(sed -E 's/.*[?&]code=([^&]+).*/\1/' <<<"$CALLBACK")

echo "3. 개별인증-002: exchange the code for tokens"
TOKENS=$(curl -s -X POST "$BASE/oauth/2.0/token" -H "x-api-tran-id: $(tran)" \
  -d org_code=$ORG -d grant_type=authorization_code -d code="$CODE" \
  -d client_id=$CLIENT -d client_secret=$SECRET -d redirect_uri=$REDIRECT)
jq '{scope, expires_in, refresh_token_expires_in}' <<<"$TOKENS"
ACCESS=$(jq -r .access_token <<<"$TOKENS"); REFRESH=$(jq -r .refresh_token <<<"$TOKENS")

echo "4. 은행-001: the account list"
curl -s -G "$BASE/v1/bank/accounts" -H "Authorization: Bearer $ACCESS" -H "x-api-tran-id: $(tran)" \
  -H "x-api-type: user-consent" -d org_code=$ORG -d limit=10 \
  | jq -c '{rsp_code, account_cnt, accounts: [.account_list[] | {account_num, is_consent, prod_name}]}'

echo "5. 은행-004: transactions of the last year, 100 a page; then page 2 with next_page"
BODY=$(jq -n --arg from "$(date -d '-364 days' +%Y%m%d)" --arg to "$(date +%Y%m%d)" \
  '{org_code:"TBBANK0001", account_num:"110573920164", from_date:$from, to_date:$to, limit:"100"}')
PAGE1=$(curl -s "$BASE/v1/bank/accounts/deposit/transactions" -H "Authorization: Bearer $ACCESS" \
  -H "x-api-tran-id: $(tran)" -H "x-api-type: user-consent" -H 'content-type: application/json' -d "$BODY")
jq -c '{rsp_code, trans_cnt, next_page}' <<<"$PAGE1"
NEXT=$(jq -r .next_page <<<"$PAGE1")
[ "$(jq -r .rsp_code <<<"$PAGE1")" = 00000 ] && [ "$NEXT" != null ] || { echo "walkthrough: page 1 failed" >&2; exit 1; }
curl -s "$BASE/v1/bank/accounts/deposit/transactions" -H "Authorization: Bearer $ACCESS" \
  -H "x-api-tran-id: $(tran)" -H "x-api-type: user-consent" -H 'content-type: application/json' \
  -d "$(jq --arg n "$NEXT" '. + {next_page:$n}' <<<"$BODY")" | jq -c '{rsp_code, trans_cnt, first: .trans_list[0].trans_dtime}'

echo "6. 개별인증-003: refresh the access token"
ACCESS=$(curl -s -X POST "$BASE/oauth/2.0/token" -H "x-api-tran-id: $(tran)" \
  -d org_code=$ORG -d grant_type=refresh_token -d refresh_token="$REFRESH" \
  -d client_id=$CLIENT -d client_secret=$SECRET | jq -r .access_token)
[ "$ACCESS" != null ] || { echo "walkthrough: refresh failed" >&2; exit 1; }

if [ -n "${MYDATA_ADMIN_TOKEN:-}" ]; then
  ADMIN=(-H "Authorization: Bearer $MYDATA_ADMIN_TOKEN" -H 'content-type: application/json')
  NSURL="$BASE/__testbed/namespaces/default"
  echo "6a. testbed: force rsp_code 50005 on 은행-001 for C002, and see the next call fail"
  SID=$(curl -sf "${ADMIN[@]}" -X POST "$NSURL/scenarios" \
    -d '{"kind":"rsp_code","code":"50005","match":{"api_id":"은행-001","customer":"C002"}}' | jq -r .id)
  FORCED=$(curl -s -G "$BASE/v1/bank/accounts" -H "Authorization: Bearer $ACCESS" -H "x-api-tran-id: $(tran)" \
    -H "x-api-type: user-refresh" -d org_code=$ORG -d limit=10)
  jq -c . <<<"$FORCED"
  [ "$(jq -r .rsp_code <<<"$FORCED")" = 50005 ] || { echo "walkthrough: expected the forced 50005" >&2; exit 1; }
  curl -sf "${ADMIN[@]}" -X DELETE "$NSURL/scenarios/$SID"

  echo "6b. testbed: the journal graded this script's calls; a reused x-api-tran-id is a finding"
  REUSED=$(tran)
  for _ in 1 2; do
    curl -s -o /dev/null -G "$BASE/v1/bank/accounts" -H "Authorization: Bearer $ACCESS" \
      -H "x-api-tran-id: $REUSED" -H "x-api-type: user-refresh" -d org_code=$ORG -d limit=10
  done
  curl -sf "${ADMIN[@]}" "$NSURL/journal?limit=1" | jq -c '.entries[0] | {seq, api_id, rsp_code, verdict, findings: [.findings[].kind]}'
  SUMMARY=$(curl -sf "${ADMIN[@]}" "$NSURL/journal/summary")
  jq -c '{calls, verdicts, score, findings: [.findings[] | {kind, count}]}' <<<"$SUMMARY"
  [ "$(jq '[.findings[] | select(.kind == "tran_id_reused")] | length' <<<"$SUMMARY")" = 1 ] \
    || { echo "walkthrough: expected a tran_id_reused finding" >&2; exit 1; }

  echo "6c. testbed: the virtual clock jumps a week; search_timestamp follows it"
  WEEK=$(curl -sf "${ADMIN[@]}" -X POST "$NSURL/clock/advance" -d '{"by":"7d"}' | jq -r .today)
  STAMP=$(curl -s -G "$BASE/v1/bank/accounts" -H "Authorization: Bearer $ACCESS" -H "x-api-tran-id: $(tran)" \
    -H "x-api-type: user-refresh" -d org_code=$ORG -d limit=10 | jq -r .search_timestamp)
  echo "   namespace today: $WEEK, search_timestamp: $STAMP"
  [ "${STAMP:0:8}" = "$WEEK" ] || { echo "walkthrough: search_timestamp did not follow the clock" >&2; exit 1; }
  curl -sf "${ADMIN[@]}" -X PUT "$NSURL/clock" -d '{"reset":true}' >/dev/null
fi

echo "7. 개별인증-004: revoke (consent withdrawn), then the token is refused with 40101"
curl -s -X POST "$BASE/oauth/2.0/revoke" -H "x-api-tran-id: $(tran)" \
  -d org_code=$ORG -d token="$ACCESS" -d client_id=$CLIENT -d client_secret=$SECRET | jq -c .
LAST=$(curl -s -G "$BASE/v1/bank/accounts" -H "Authorization: Bearer $ACCESS" -H "x-api-tran-id: $(tran)" \
  -H "x-api-type: user-consent" -d org_code=$ORG -d limit=10)
jq -c . <<<"$LAST"
[ "$(jq -r .rsp_code <<<"$LAST")" = 40101 ] || { echo "walkthrough: expected 40101 after revoke" >&2; exit 1; }
echo "walkthrough complete"
