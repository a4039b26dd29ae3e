package io.salesync.headoffice;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.junit.ArchTests;
import com.tngtech.archunit.lang.ArchRule;
import io.salesync.common.testing.AppLayeringRules;

/** The head office's layers, by the rules both applications share. */
@AnalyzeClasses(packages = "io.salesync.headoffice", importOptions = ImportOption.DoNotIncludeTests.class)
class LayeringTest {

    @ArchTest
    static final ArchTests layers = ArchTests.in(AppLayeringRules.class);

    @ArchTest
    static final ArchRule modelDependsOnNoLayer = noClasses()
            .that()
            .resideInAPackage("..model..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(
                    "..ui..",
                    "..service..",
                    "..persistence..",
                    "..messaging..",
                    "java.sql..",
                    "javax.sql..",
                    "com.rabbitmq..",
                    "com.zaxxer..")
            .because("the plain values every layer shares must not pull any layer in");

    @ArchTest
    static final ArchRule messagingUsesNoPersistence = noClasses()
            .that()
            .resideInAPackage("..messaging..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("..persistence..")
            .because("the broker side hands messages to the services, which alone write the database");
}
