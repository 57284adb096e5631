# Change the passphrase of the encrypted Database Server (95874) from the demo passphrase.
# The old and the new passphrase are each encrypted with the agent's public key.
# (On the demo world, POST /__admin/reset puts the demo passphrase back.)
BASE=http://127.0.0.1:4010/v1.0/1234
AUTH='X-Auth-Token: demo-token'
AGENT=95874

read -r MODULUS EXPONENT < <(curl -s "$BASE/agent/$AGENT" -H "$AUTH" \
  | jq -r '.PublicKey | "\(.ModulusHex) \(.ExponentHex)"')
KEY_DIR=$(mktemp -d)
printf 'asn1=SEQUENCE:key\n[key]\nn=INTEGER:0x%s\ne=INTEGER:0x%s\n' "$MODULUS" "$EXPONENT" > "$KEY_DIR/key.cnf"
openssl asn1parse -genconf "$KEY_DIR/key.cnf" -noout -out "$KEY_DIR/key.der"
encrypt() {
  printf '%s' "$1" \
    | openssl pkeyutl -encrypt -pubin -keyform DER -inkey "$KEY_DIR/key.der" -pkeyopt rsa_padding_mode:pkcs1 \
    | od -An -v -tx1 | tr -d ' \n'
}

curl -s -X POST "$BASE/agent/changeencryption" \
  -H "$AUTH" \
  -H 'Content-Type: application/json' \
  -d "{\"MachineAgentId\": $AGENT,
       \"OldEncryptedPasswordHex\": \"$(encrypt 'demo-passphrase')\",
       \"NewEncryptedPasswordHex\": \"$(encrypt 'a new, longer passphrase')\"}"
