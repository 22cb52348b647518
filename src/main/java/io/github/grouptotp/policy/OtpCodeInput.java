package io.github.grouptotp.policy;

import java.util.Optional;

/**
 * Checks the shape of a code typed by a user before it goes near a credential.
 *
 * <p>Spaces are dropped because authenticator apps show codes as "123 456". Only ASCII digits are
 * accepted: {@code Character.isDigit} would let through Arabic-Indic and other digits that no app shows.
 */
public final class OtpCodeInput {

    /** Longer input is refused without being copied or scanned further. */
    static final int MAX_RAW_LENGTH = 64;

    private OtpCodeInput() {
    }

    /** The code as digits, or empty if the input cannot be a code of {@code digits} digits. */
    public static Optional<String> normalize(String raw, int digits) {
        if (raw == null || raw.length() > MAX_RAW_LENGTH) {
            return Optional.empty();
        }
        StringBuilder code = new StringBuilder(digits);
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == ' ') {
                continue;
            }
            if (c < '0' || c > '9') {
                return Optional.empty();
            }
            code.append(c);
        }
        return code.length() == digits ? Optional.of(code.toString()) : Optional.empty();
    }

    public static boolean isBlank(String raw) {
        return raw == null || raw.isBlank();
    }
}
