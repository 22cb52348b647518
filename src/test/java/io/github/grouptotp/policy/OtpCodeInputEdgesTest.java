package io.github.grouptotp.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The edges of the code shape check: the length limit, the first and last digit, and what counts as typed. */
class OtpCodeInputEdgesTest {

    @ParameterizedTest(name = "{0} characters -> accepted={1}")
    @CsvSource({"6, true", "63, true", "64, true", "65, false"})
    void inputUpToTheLengthLimitIsScannedLongerIsRefused(int length, boolean accepted) {
        String raw = " ".repeat(length - 6) + "123456";
        assertEquals(length, raw.length());
        assertEquals(OtpCodeInput.MAX_RAW_LENGTH >= length, accepted, "the limit is " + OtpCodeInput.MAX_RAW_LENGTH);

        assertEquals(accepted ? Optional.of("123456") : Optional.empty(), OtpCodeInput.normalize(raw, 6));
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"000000", "999999", "909090", "987654"})
    void everyDigitFromZeroToNineIsADigit(String raw) {
        assertEquals(Optional.of(raw), OtpCodeInput.normalize(raw, 6));
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"12345/", "/12345", "12345:", ":12345"}) // the characters just below '0' and just above '9'
    void theCharactersNextToTheDigitsAreNot(String raw) {
        assertEquals(Optional.empty(), OtpCodeInput.normalize(raw, 6));
    }

    @ParameterizedTest(name = "\"{0}\" -> blank={1}")
    @CsvSource(delimiter = '|', value = {"''|true", "'   '|true", "123456|false", "' 1 '|false", "x|false"})
    void onlyNothingOrWhitespaceIsBlank(String raw, boolean blank) {
        assertEquals(blank, OtpCodeInput.isBlank(raw));
    }
}
