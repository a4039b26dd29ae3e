package io.salesync.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLocationsTest {

    @Test
    void theNamedDirectoryComesFirstThenTheUsersThenTheMachines() {
        assertThat(ConfigLocations.directories(Map.of("SALESYNC_CONFIG_DIR", "/srv/cfg"), "/home/clerk"))
                .containsExactly(
                        Path.of("/srv/cfg"), Path.of("/home/clerk/.config/salesync"), Path.of("/etc/salesync"));
        assertThat(ConfigLocations.directories(Map.of("XDG_CONFIG_HOME", "/home/clerk/cfg"), "/home/clerk"))
                .containsExactly(Path.of("/home/clerk/cfg/salesync"), Path.of("/etc/salesync"));
    }

    @Test
    void theFirstDirectoryThatHoldsTheFileWins(@TempDir Path root) throws Exception {
        Path user = Files.createDirectories(root.resolve("user"));
        Path machine = Files.createDirectories(root.resolve("machine"));
        Files.writeString(machine.resolve("head-office.properties"), "");

        assertThat(ConfigLocations.find(List.of(user, machine), "head-office.properties"))
                .contains(machine.resolve("head-office.properties"));
        Files.writeString(user.resolve("head-office.properties"), "");
        assertThat(ConfigLocations.find(List.of(user, machine), "head-office.properties"))
                .contains(user.resolve("head-office.properties"));
    }

    @Test
    void aBranchIsFoundByItsIdOrAsTheOnlyOne(@TempDir Path directory) throws Exception {
        Files.writeString(directory.resolve("branch-bo1.properties"), "");

        assertThat(ConfigLocations.branchFile(List.of(directory), "bo1"))
                .contains(directory.resolve("branch-bo1.properties"));
        assertThat(ConfigLocations.branchFile(List.of(directory), null))
                .contains(directory.resolve("branch-bo1.properties"));
        assertThat(ConfigLocations.branchFile(List.of(directory.resolve("none")), "bo1"))
                .isEmpty();
    }

    @Test
    void aBranchThatIsNotConfiguredIsOneLineNamingTheFileAndTheConfiguredBranches(@TempDir Path directory)
            throws Exception {
        Files.writeString(directory.resolve("branch-bo1.properties"), "");
        Files.writeString(directory.resolve("branch-bo2.properties"), "");

        assertThatThrownBy(() -> ConfigLocations.branchFile(List.of(directory), "bo9"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("no configuration file " + directory.resolve("branch-bo9.properties")
                        + " for branch 'bo9'; configured branches: bo1, bo2");
        assertThatThrownBy(() -> ConfigLocations.branchFile(List.of(directory), null))
                .isInstanceOf(ConfigException.class)
                .hasMessage("several branches are configured in " + directory + " (bo1, bo2): say which with --id");
    }
}
