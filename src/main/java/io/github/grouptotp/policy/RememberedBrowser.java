package io.github.grouptotp.policy;

import java.time.Instant;

/**
 * What a remembered-browser cookie claims, after its signature was verified.
 *
 * @param purpose      must be {@link RememberedBrowserRules#PURPOSE}, so no other token of the realm passes as one
 * @param issuer       the realm that issued it
 * @param userId       the user it was issued to
 * @param credentialId the OTP credential whose code was entered when it was issued
 * @param issuedAt     when it was issued (whole seconds, as in a JWT)
 * @param credentials  a fingerprint of the user's password and OTP credentials when it was issued
 */
public record RememberedBrowser(String purpose, String issuer, String userId, String credentialId, Instant issuedAt,
                                String credentials) {
}
