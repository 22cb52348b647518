package io.github.grouptotp.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class OtpCodeInputTest {

    @ParameterizedTest(name = "\"{0}\" -> {1}")
    @CsvSource(delimiter = '|', value = {
            "123456|123456",
            "012345|012345",
            "123 456|123456",
            " 123456 |123456"})
    void acceptsSixAsciiDigitsIgnoringSpaces(String raw, String expected) {
        assertEquals(Optional.of(expected), OtpCodeInput.normalize(raw, 6));
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {
            "", "12345", "1234567", "-12345", "+123456", "12345a", "abcdef", "12\t3456", "123-456",
            "١٢٣٤٥٦", // Arabic-Indic digits
            "１２３４５６", // full-width digits
            "123456\u0000"})
    void refusesAnythingElse(String raw) {
        assertEquals(Optional.empty(), OtpCodeInput.normalize(raw, 6));
    }

    @Test
    void refusesNullAndOverlongInputWithoutScanningIt() {
        assertEquals(Optional.empty(), OtpCodeInput.normalize(null, 6));
        assertEquals(Optional.empty(), OtpCodeInput.normalize(" ".repeat(10_000) + "123456", 6));
    }

    @Test
    void followsTheDigitCountOfThePolicy() {
        assertEquals(Optional.of("12345678"), OtpCodeInput.normalize("1234 5678", 8));
        assertEquals(Optional.empty(), OtpCodeInput.normalize("123456", 8));
    }

    @Test
    void blankMeansNothingWasTyped() {
        assertTrue(OtpCodeInput.isBlank(null));
        assertTrue(OtpCodeInput.isBlank("   "));
    }
}
