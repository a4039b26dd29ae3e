package io.salesync.bench;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The benchmark drives the applications headless, through the same parts their main classes
 * assemble; only the window benchmark ({@code window}) opens the head office's window, and it runs
 * the head office as that window does.
 */
@AnalyzeClasses(packages = "io.salesync.bench", importOptions = ImportOption.DoNotIncludeTests.class)
class LayeringTest {

    private static final String WINDOW_BENCHMARK = "io.salesync.bench.window..";

    @ArchTest
    static final ArchRule noWindows = noClasses()
            .that()
            .resideOutsideOfPackage(WINDOW_BENCHMARK)
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("javax.swing..", "java.awt..", "..ui..", "io.salesync.desktop..")
            .because("the benchmark measures the headless branch and head office");

    @ArchTest
    static final ArchRule headlessApartFromTheWindowBenchmark = noClasses()
            .that()
            .resideOutsideOfPackage(WINDOW_BENCHMARK)
            .should()
            .dependOnClassesThat()
            .resideInAPackage(WINDOW_BENCHMARK)
            .because("the window benchmark is a command of its own (./salesync bench-window)");

    @ArchTest
    static final ArchRule noTestCode = noClasses()
            .should()
            .dependOnClassesThat()
            .resideInAPackage("io.salesync.common.testing..")
            .because("production code does not depend on test jars");

    @ArchTest
    static final ArchRule headOfficeOnlyThroughItsProcess = noClasses()
            .that()
            .resideOutsideOfPackage(WINDOW_BENCHMARK)
            .should()
            .dependOnClassesThat()
            .resideInAPackage("io.salesync.headoffice.messaging..")
            .because("the head office's consumer runs in a process of its own, so that its memory is its own");

    @ArchTest
    static final ArchRule windowBenchmarkAsTheApplication = noClasses()
            .that()
            .resideInAPackage(WINDOW_BENCHMARK)
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(
                    "io.salesync.headoffice.messaging..",
                    "io.salesync.headoffice.persistence..",
                    "io.salesync.branch..")
            .because("the window benchmark runs the head office as its window does: through HeadOffice, its services"
                    + " and the window's measurement surface");
}
