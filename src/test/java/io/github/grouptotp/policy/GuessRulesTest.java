package io.github.grouptotp.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GuessRulesTest {

    @ParameterizedTest(name = "{0} wrong in this login, locked {1}: {2}")
    @CsvSource({
            "0, false, ",
            "4, false, ",
            "4, true, LOCKED",
            "0, true, LOCKED",
            // A spent login says "start again" even when the user is locked too: the login cannot go on either way.
            "5, false, LOGIN_SPENT",
            "5, true, LOGIN_SPENT",
            "6, false, LOGIN_SPENT"
    })
    void theFirstRuleThatRefusesBeforeACheck(int wrongInThisLogin, boolean locked, GuessRules.Refusal expected) {
        assertEquals(Optional.ofNullable(expected), GuessRules.beforeCheck(wrongInThisLogin, locked));
    }

    @ParameterizedTest(name = "{0} wrong: spent {1}")
    @CsvSource({"0, false", "4, false", "5, true", "9, true"})
    void aLoginIsSpentAtFiveWrongSecrets(int wrong, boolean spent) {
        assertEquals(spent, GuessRules.loginSpent(wrong));
    }
}
