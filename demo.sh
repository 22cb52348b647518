#!/usr/bin/env bash
# Runs the demo: Keycloak (the version in pom.xml, from Maven Central) in dev mode on http://localhost:8080,
# with this extension deployed and realm-export.json imported. Stop it with Ctrl+C.
set -euo pipefail
cd "$(dirname "$0")"

# Builds the provider JAR and unpacks the Keycloak distribution into target/ (see pom.xml).
mvn -B -q -DskipTests verify

kc_home=$(ls -d target/keycloak-[0-9]*/ | head -n 1)
port=${PORT:-8080}
cp target/keycloak-group-totp-*.jar "${kc_home}providers/"
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

  user    password      groups                     what the step does
  alice   demo-alice    /staff                     required: grace page (14 days) or enrolment, then a code
  bob     demo-bob      /staff/doctors             required (subgroups count)
  carol   demo-carol    /staff, /no-smartphone     exempt: never forced, asked only if enrolled
  frank   demo-frank    /staff, /extranet          required (required wins over optional)
  erik    demo-erik     /extranet                  optional: asked only if enrolled
  dave    demo-dave     (none)                     optional: asked only if enrolled

TXT

export KC_BOOTSTRAP_ADMIN_USERNAME=admin KC_BOOTSTRAP_ADMIN_PASSWORD=admin
exec "${kc_home}bin/kc.sh" start-dev --import-realm --http-port="${port}"
