package io.salesync.common.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ShippedPermissionsTest {

    @Test
    void aBranchMayConfigureNothingWriteTheSalesExchangeAndReadItsOwnControlQueue() {
        ShippedPermissions.Grant grant = ShippedPermissions.branch("it-ab12", "it-ab12-bo3");

        assertThat(grant)
                .isEqualTo(new ShippedPermissions.Grant(
                        "^$",
                        "^it-ab12\\.sales$",
                        "^it-ab12\\.control\\.it-ab12-bo3$",
                        "it-ab12.sales",
                        "^sales\\.it-ab12-bo3$",
                        "^$"));
    }

    @Test
    void theRewrittenPatternsMatchTheTestsNamesAndNothingOfTheShippedOnes() {
        ShippedPermissions.Grant grant = ShippedPermissions.branch("it-ab12", "it-ab12-bo1");

        assertThat(Pattern.matches(grant.write(), "it-ab12.sales")).isTrue();
        assertThat(Pattern.matches(grant.write(), "salesync.sales")).isFalse();
        assertThat(Pattern.matches(grant.read(), "it-ab12.control.it-ab12-bo1")).isTrue();
        assertThat(Pattern.matches(grant.read(), "it-ab12.control.bo1")).isFalse();
        assertThat(Pattern.matches(grant.topicWrite(), "sales.it-ab12-bo1")).isTrue();
        assertThat(Pattern.matches(grant.topicWrite(), "sales.bo1")).isFalse();
    }

    @Test
    void everyShippedBranchHasTheSamePermissionsAsBo1WithItsOwnId() {
        JsonNode definitions = ShippedPermissions.definitions();
        List<String> branches = new ArrayList<>();
        for (JsonNode topic : definitions.path("topic_permissions")) {
            String user = topic.path("user").asText();
            if (!user.equals(ShippedPermissions.SHIPPED_HEAD_OFFICE)) {
                branches.add(user);
            }
        }

        assertThat(branches).contains("bo1", "bo2");
        for (String branch : branches) {
            assertThat(ShippedPermissions.of(definitions, branch, "salesync", branch))
                    .as("permissions of branch %s", branch)
                    .isEqualTo(
                            ShippedPermissions.of(definitions, ShippedPermissions.SHIPPED_BRANCH, "salesync", branch));
        }
    }

    @Test
    void theHeadOfficeGetsEveryNameOfItsPrefix() {
        ShippedPermissions.Grant grant = ShippedPermissions.headOffice("it-ab12");

        assertThat(grant.configure()).isEqualTo("^it-ab12\\.(sales|dlx|control|control\\..+|ho\\..+)$");
        assertThat(grant.topicExchange()).isEqualTo("it-ab12.sales");
        assertThat(grant.topicWrite())
                .as("its own branches keys and its heartbeat")
                .isEqualTo("^(sales\\..+|ho\\.heartbeat)$");
    }

    @Test
    void namesAreEscapedWhereTheyAreMetacharacters() {
        assertThat(ShippedPermissions.escape("a.b-c$")).isEqualTo("a\\.b-c\\$");
    }
}
