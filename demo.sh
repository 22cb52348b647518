#!/usr/bin/env bash
# Runs the demo: Keycloak (the version in pom.xml, from Maven Central) in dev mode on http://localhost:8080,
# with this extension deployed and realm-export.json imported. Stop it with Ctrl+C.
set -euo pipefail
cd "$(dirname "$0")"

# Builds the provider JAR and unpacks the Keycloak distribution of pom.xml's keycloak.version into target/
# (KEYCLOAK_VERSION=26.0.8 ./demo.sh runs the demo on another supported release).
version=${KEYCLOAK_VERSION:-$(sed -n 's:.*<keycloak.version>\(.*\)</keycloak.version>.*:\1:p' pom.xml | head -n 1)}
# The provider JAR of this pom's version, exactly: target/ also holds its -sources and -javadoc JARs (whose
# META-INF/services would register every provider twice), and maybe an older version's JAR.
project_version=$(sed -n 's:^  <version>\(.*\)</version>$:\1:p' pom.xml | head -n 1)
mvn -B -q -DskipTests -Dkeycloak.version="$version" verify

kc_home="target/keycloak-${version}/"
port=${PORT:-8080}
management_port=${MANAGEMENT_PORT:-9000}
rm -f "${kc_home}providers/"keycloak-group-totp-*.jar
cp "target/keycloak-group-totp-${project_version}.jar" "${kc_home}providers/"
# The demo starts from realm-export.json every time: Keycloak would not re-import an existing realm.
rm -rf "${kc_home}data/h2"
mkdir -p "${kc_home}data/import"
cp realm-export.json "${kc_home}data/import/"

cat <<TXT

  Keycloak is starting on http://localhost:${port}  (about a minute on first start)

  Admin console:  http://localhost:${port}/admin/   admin / admin
  Log in as a user of the demo realm through its account console:
                  http://localhost:${port}/realms/group-totp-demo/account/
                  (append ?kc_locale=nl or pick Nederlands on the login page for Dutch)
  Metrics:        http://localhost:${management_port}/metrics   (group_totp_*)

  user    password      groups                     what the step does
  alice   demo-alice    /staff                     required: grace page (14 days) or enrolment, then a code
  bob     demo-bob      /staff/doctors             required (subgroups count)
  carol   demo-carol    /staff, /no-smartphone     exempt: never forced, asked only if enrolled
  frank   demo-frank    /staff, /extranet          required (required wins over optional)
  erik    demo-erik     /extranet                  optional: asked only if enrolled
  dave    demo-dave     (none)                     optional: asked only if enrolled
  hanna   demo-hanna    /staff                     lost her phone: the help desk reset it; she gives the
                                                   one-time pass printed below, then sets up a new phone

TXT

export KC_BOOTSTRAP_ADMIN_USERNAME=admin KC_BOOTSTRAP_ADMIN_PASSWORD=admin
# Recovery codes are a preview feature before Keycloak 26.3 (and a default one since).
"${kc_home}bin/kc.sh" start-dev --import-realm --http-port="${port}" --features=recovery-codes \
  --metrics-enabled=true --http-management-port="${management_port}" &
keycloak=$!
trap 'kill "$keycloak" 2>/dev/null; wait "$keycloak"' INT TERM

# The help desk's reset of hanna (README, "Resetting a user's authenticator"), once Keycloak answers.
kc="http://localhost:${port}"
until curl -sf "${kc}/realms/group-totp-demo" > /dev/null; do
  kill -0 "$keycloak" 2> /dev/null || exit 1
  sleep 2
done
token=$(curl -s -d grant_type=password -d client_id=admin-cli -d username=admin -d password=admin \
  "${kc}/realms/master/protocol/openid-connect/token" | sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p')
hanna=$(curl -s -H "Authorization: Bearer ${token}" "${kc}/admin/realms/group-totp-demo/users?username=hanna&exact=true" \
  | sed -n 's/^\[{"id":"\([^"]*\)".*/\1/p')
pass=$(curl -s -X POST -H "Authorization: Bearer ${token}" -H "Content-Type: application/json" \
  -d '{"reason":"Demo: phone lost, identity checked by the help desk"}' \
  "${kc}/admin/realms/group-totp-demo/group-totp/users/${hanna}/reset" | sed -n 's/.*"oneTimePass":"\([^"]*\)".*/\1/p')
echo
echo "  hanna's authenticator was reset; her one-time pass (valid 24 hours): ${pass:-(not issued, see the log)}"
echo
wait "$keycloak"
