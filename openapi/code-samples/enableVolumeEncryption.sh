# Encrypt web2's backups. The passphrase travels encrypted with the agent's public key
# (RSA PKCS#1 v1.5, hex). This cannot be undone, and a lost passphrase cannot be recovered.
BASE=http://127.0.0.1:4010/v1.0/1234
AUTH='X-Auth-Token: demo-token'
AGENT=202743

# 1. The agent's key: modulus and exponent, both in hex digits.
read -r MODULUS EXPONENT < <(curl -s "$BASE/agent/$AGENT" -H "$AUTH" \
  | jq -r '.PublicKey | "\(.ModulusHex) \(.ExponentHex)"')

# 2. Build an RSA public key from them and encrypt the passphrase.
KEY_DIR=$(mktemp -d)
printf 'asn1=SEQUENCE:key\n[key]\nn=INTEGER:0x%s\ne=INTEGER:0x%s\n' "$MODULUS" "$EXPONENT" > "$KEY_DIR/key.cnf"
openssl asn1parse -genconf "$KEY_DIR/key.cnf" -noout -out "$KEY_DIR/key.der"
PASSPHRASE_HEX=$(printf '%s' 'correct horse battery staple' \
  | openssl pkeyutl -encrypt -pubin -keyform DER -inkey "$KEY_DIR/key.der" -pkeyopt rsa_padding_mode:pkcs1 \
  | od -An -v -tx1 | tr -d ' \n')

# 3. Send it. The answer is the id of the request queued to the agent.
curl -s -X POST "$BASE/agent/encrypt" \
  -H "$AUTH" \
  -H 'Content-Type: application/json' \
  -d "{\"MachineAgentId\": $AGENT, \"EncryptedPasswordHex\": \"$PASSPHRASE_HEX\"}"
