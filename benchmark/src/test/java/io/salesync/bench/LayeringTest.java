package io.salesync.bench;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The benchmark drives the applications headless, through the same parts their main classes assemble. */
@AnalyzeClasses(packages = "io.salesync.bench", importOptions = ImportOption.DoNotIncludeTests.class)
class LayeringTest {

    @ArchTest
    static final ArchRule noWindows = noClasses()
            .should().dependOnClassesThat().resideInAnyPackage("javax.swing..", "java.awt..", "..ui..", "io.salesync.desktop..")
            .because("the benchmark measures the headless branch and head office");

    @ArchTest
    static final ArchRule noTestCode = noClasses()
            .should().dependOnClassesThat().resideInAPackage("io.salesync.common.testing..")
            .because("production code does not depend on test jars");

    @ArchTest
    static final ArchRule headOfficeOnlyThroughItsProcess = noClasses()
            .should().dependOnClassesThat().resideInAPackage("io.salesync.headoffice.messaging..")
            .because("the head office's consumer runs in a process of its own, so that its memory is its own");
}
