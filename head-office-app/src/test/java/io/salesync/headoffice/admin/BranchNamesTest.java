package io.salesync.headoffice.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.salesync.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BranchNamesTest {

    @Test
    void aBranchGetsTheNamesBo1Has() {
        BranchNames names = BranchNames.of("bo3");

        assertThat(names.schema()).isEqualTo("salesync_bo3");
        assertThat(names.appUser()).isEqualTo("salesync_bo3");
        assertThat(names.ownerUser()).isEqualTo("salesync_bo3_owner");
        assertThat(names.brokerUser()).isEqualTo("bo3");
        assertThat(names.grantTarget()).isEqualTo("`salesync\\_bo3`.*");
        assertThat(BranchNames.account(names.ownerUser())).isEqualTo("'salesync_bo3_owner'@'%'");
    }

    @Test
    void theLongestIdStillGivesAnOwnerNameMysqlAccepts() {
        BranchNames names = BranchNames.of("a".repeat(BranchNames.MAX_ID_LENGTH));

        assertThat(names.ownerUser()).hasSize(32);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "Bo1",
                "-bo",
                "bo.1",
                "bo 1",
                "bo'1",
                "bo`1",
                "bo\\1",
                "bo1;drop",
                "bo%",
                "a23456789012345678"
            })
    void anIdBreakingTheRuleIsRefusedWithTheRule(String id) {
        assertThatThrownBy(() -> BranchNames.of(id))
                .isInstanceOf(ConfigException.class)
                .hasMessage("--id '" + id + "' is not a branch id: " + BranchNames.RULE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ho", "ho_view", "ho_owner", "bo1_owner"})
    void idsNamingTheHeadOfficeOrAnotherBranchsOwnerAreReserved(String id) {
        assertThatThrownBy(() -> BranchNames.of(id))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("reserved");
    }

    @Test
    void hyphensAndUnderscoresAreAllowed() {
        assertThat(BranchNames.of("north-1_b").schema()).isEqualTo("salesync_north-1_b");
        assertThat(BranchNames.of("north-1_b").grantTarget()).isEqualTo("`salesync\\_north-1\\_b`.*");
    }

    @Test
    void aNullIdIsRefused() {
        assertThatThrownBy(() -> BranchNames.of(null)).isInstanceOf(ConfigException.class);
    }
}
