package io.salesync.headoffice.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PasswordsTest {

    private final Passwords passwords = new Passwords();

    @Test
    void aPasswordHas32LettersOrDigits() {
        for (int i = 0; i < 200; i++) {
            String password = passwords.next();
            assertThat(password).hasSize(Passwords.LENGTH).matches("[A-Za-z0-9]{32}");
            assertThat(Passwords.literalSafe(password)).isTrue();
        }
    }

    @Test
    void passwordsDifferAndUseTheWholeAlphabet() {
        Set<String> seen = new HashSet<>();
        Set<Character> characters = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String password = passwords.next();
            seen.add(password);
            password.chars().forEach(c -> characters.add((char) c));
        }
        assertThat(seen).hasSize(1000);
        assertThat(characters).hasSize(Passwords.ALPHABET.length());
    }

    @Test
    void onlyPasswordsThatCannotEndAnSqlLiteralAreWrittenIntoOne() {
        assertThat(Passwords.literalSafe("dev-only-bo1")).isTrue();
        assertThat(Passwords.literalSafe("a'b")).isFalse();
        assertThat(Passwords.literalSafe("a\\b")).isFalse();
        assertThat(Passwords.literalSafe("a b")).isFalse();
        assertThat(Passwords.literalSafe("a\nb")).isFalse();
        assertThat(Passwords.literalSafe("a\"b")).isFalse();
        assertThat(Passwords.literalSafe("")).isFalse();
        assertThat(Passwords.literalSafe(null)).isFalse();
    }
}
