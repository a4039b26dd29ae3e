package io.salesync.common;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** {@code common} is shared by the head office and every branch, headless tools included: no Swing. */
@AnalyzeClasses(packages = "io.salesync.common", importOptions = ImportOption.DoNotIncludeTests.class)
class LayeringTest {

    @ArchTest
    static final ArchRule commonHasNoUserInterface = noClasses()
            .that()
            .resideInAPackage("io.salesync.common..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("javax.swing..", "java.awt..")
            .because("common is shared by headless tools and both applications; Swing stays in each app's ui package");
}
